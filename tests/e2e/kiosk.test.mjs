// Kiosk mode: one tap answers, optional follow-up as a supplement, automatic reset.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from '../lib/server.mjs';
import { assertRespondentPage } from '../lib/checks.mjs';
import { allResponses, getPage } from '../lib/flows.mjs';
import { postFormTo } from '../lib/html.mjs';
import { kioskTouchpoint, loadModel, newKey, surveyOf } from '../lib/model.mjs';

let model;
let admin;
let tp;
let survey;
let question;
const ctx = useServer({ before, after }, async () => {
  model = await loadModel(ctx.srv);
  admin = await ctx.srv.token('admin');
  tp = kioskTouchpoint(model);
  survey = surveyOf(model, tp);
  question = survey.questions.find((q) => q.key === survey.kiosk_question);
});

// The reset target of a kiosk page: from <meta http-equiv=refresh> or a Refresh header.
function resetOf(res, html) {
  const meta = html.match(/<meta\b[^>]*http-equiv="refresh"[^>]*content="([^"]+)"/i)
    ?? html.match(/<meta\b[^>]*content="([^"]+)"[^>]*http-equiv="refresh"/i);
  const value = meta?.[1]?.replace(/&amp;/g, '&') ?? res.headers.get('refresh');
  assert.ok(value, 'kiosk page has no meta refresh / Refresh header');
  const m = /^\s*(\d+)\s*;\s*url=(.+)$/i.exec(value);
  assert.ok(m, `refresh value ${value}`);
  return { seconds: Number(m[1]), url: m[2].trim() };
}

function faces() {
  return question.type === 'smiley3' ? ['1', '2', '3'] : ['1', '2', '3', '4', '5'];
}

async function tap(face, lang = 'fi') {
  const page = await getPage(ctx.srv, `/k/${tp.id}?lang=${lang}`);
  const fields = [...Object.entries(page.form.hidden), ['face', face]];
  const res = await postFormTo(`${ctx.srv.url}/k/${tp.id}`, fields);
  return { res, key: page.form.hidden.k, fields };
}

describe('/k/{touchpoint}', () => {
  test('the start page: big face buttons, hidden k, no personal data asked', async () => {
    for (const lang of ['fi', 'sv', 'en', 'fi-x-selko']) {
      const { res, html, form } = await getPage(ctx.srv, `/k/${tp.id}?lang=${lang}`);
      assert.equal(res.status, 200);
      assertRespondentPage(res, html, { lang, what: `kiosk ${lang}` });
      assert.match(form.hidden.k ?? '', /^[A-Za-z0-9_-]{22}$/);
      const buttons = form.buttons.filter((b) => b.name === 'face');
      assert.deepEqual(buttons.map((b) => b.value), faces(), 'face buttons');
      for (const b of buttons) assert.equal(b.type, 'submit');
      assert.equal(form.textareas.length, 0, 'kiosk asks for free text');
      assert.ok(!form.inputs.some((i) => ['text', 'tel', 'email'].includes(i.type)), 'kiosk asks for personal data');
    }
  });

  test('one tap stores at once and redirects to the follow-up or thanks', async () => {
    const face = faces().at(-1);
    const { res } = await tap(face);
    assert.equal(res.status, 303);
    const loc = new URL(res.headers.get('location'), ctx.srv.url);
    assert.ok([`/k/${tp.id}/jatko`, `/k/${tp.id}/kiitos`].includes(loc.pathname), `Location ${loc}`);
    assert.equal(loc.searchParams.get('lang'), 'fi');
    const items = await allResponses(ctx.srv, admin, { touchpoint: tp.id, channel: 'kiosk' });
    const taps = items.filter((i) => i.answers?.[question.key] === Number(face) && !i.supplements);
    assert.ok(taps.length >= 1, 'tap not stored');
    const t = taps.at(-1);
    assert.equal(t.channel, 'kiosk');
    assert.equal(t.survey, survey.id);
    if (loc.pathname.endsWith('/jatko')) assert.equal(loc.searchParams.get('r'), String(t.id));
  });

  test('the follow-up is stored as a supplement of the tap; pages reset to the start', async () => {
    const ftp = (() => { try { return kioskTouchpoint(model, { withFollowup: true }); } catch { return null; } })();
    assert.ok(ftp, 'demo model has a kiosk touchpoint with a follow-up question');
    const fs = surveyOf(model, ftp);
    const fq = fs.questions.find((q) => q.key === fs.kiosk_followup);
    const page = await getPage(ctx.srv, `/k/${ftp.id}?lang=sv`);
    const res = await postFormTo(`${ctx.srv.url}/k/${ftp.id}`, [...Object.entries(page.form.hidden), ['face', '1']]);
    assert.equal(res.status, 303);
    const loc = new URL(res.headers.get('location'), ctx.srv.url);
    assert.equal(loc.pathname, `/k/${ftp.id}/jatko`);
    const tapId = loc.searchParams.get('r');
    assert.ok(tapId);

    const jatko = await getPage(ctx.srv, loc.pathname + loc.search);
    assert.equal(jatko.res.status, 200);
    assertRespondentPage(jatko.res, jatko.html, { lang: 'sv', what: 'kiosk follow-up' });
    const reset = resetOf(jatko.res, jatko.html);
    assert.equal(new URL(reset.url, ctx.srv.url).pathname, `/k/${ftp.id}`);
    assert.ok(reset.seconds >= 5 && reset.seconds <= 120);
    assert.equal(jatko.form.hidden.r, tapId);
    assert.match(jatko.form.hidden.k ?? '', /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(jatko.form.hidden.k, page.form.hidden.k, 'the follow-up needs a new key');
    const option = fq.options[0].key;
    const action = new URL(jatko.form.attrs.action || loc.pathname, ctx.srv.url).href;
    const post = await postFormTo(action, [...Object.entries(jatko.form.hidden), [`q.${fq.key}`, option]]);
    assert.equal(post.status, 303);
    const thanksLoc = new URL(post.headers.get('location'), ctx.srv.url);
    assert.equal(thanksLoc.pathname, `/k/${ftp.id}/kiitos`);

    const thanks = await getPage(ctx.srv, thanksLoc.pathname + thanksLoc.search);
    assert.equal(thanks.res.status, 200);
    assertRespondentPage(thanks.res, thanks.html, { lang: 'sv', what: 'kiosk thanks' });
    const r2 = resetOf(thanks.res, thanks.html);
    const back = new URL(r2.url, ctx.srv.url);
    assert.equal(back.pathname, `/k/${ftp.id}`);
    assert.equal(back.searchParams.get('lang'), 'sv');
    assert.ok(r2.seconds >= 2 && r2.seconds <= 60);

    const items = await allResponses(ctx.srv, admin, { touchpoint: ftp.id });
    const tapResp = items.find((i) => String(i.id) === tapId);
    assert.ok(tapResp, 'tap stored');
    assert.equal(tapResp.answers[fs.kiosk_question], 1);
    assert.equal(tapResp.language, 'sv');
    const sup = items.filter((i) => String(i.supplements ?? '') === tapId);
    assert.equal(sup.length, 1, 'follow-up stored once as a supplement');
    const v = sup[0].answers[fq.key];
    assert.deepEqual(Array.isArray(v) ? v : [v], [option]);
    assert.equal(sup[0].channel, 'kiosk');

    // Posting the follow-up again (refresh) does not store it twice.
    const again = await postFormTo(action, [...Object.entries(jatko.form.hidden), [`q.${fq.key}`, option]]);
    assert.equal(again.status, 303);
    const items2 = await allResponses(ctx.srv, admin, { touchpoint: ftp.id });
    assert.equal(items2.filter((i) => String(i.supplements ?? '') === tapId).length, 1);
  });

  test('a follow-up for a response that is not a tap of this kiosk is refused', async () => {
    const ftp = (() => { try { return kioskTouchpoint(model, { withFollowup: true }); } catch { return null; } })();
    if (!ftp) return;
    const fs = surveyOf(model, ftp);
    const fq = fs.questions.find((q) => q.key === fs.kiosk_followup);
    for (const r of ['999999999', 'abc', '-1']) {
      const res = await postFormTo(`${ctx.srv.url}/k/${ftp.id}/jatko`, [['k', newKey()], ['r', r], ['lang', 'fi'], [`q.${fq.key}`, fq.options[0].key]]);
      assert.ok(res.status >= 400 && res.status < 500, `r=${r} -> ${res.status}`);
    }
  });

  test('a double tap with the same k is stored once', async () => {
    const before = (await allResponses(ctx.srv, admin, { touchpoint: tp.id })).length;
    const first = await tap('2');
    assert.equal(first.res.status, 303);
    const second = await postFormTo(`${ctx.srv.url}/k/${tp.id}`, first.fields);
    assert.equal(second.status, 303);
    const after = (await allResponses(ctx.srv, admin, { touchpoint: tp.id })).length;
    assert.equal(after, before + 1);
  });

  test('invalid faces are refused and not stored', async () => {
    const before = (await allResponses(ctx.srv, admin, { touchpoint: tp.id })).length;
    for (const face of ['0', String(faces().length + 1), 'abc', '', '1.5', '-1']) {
      const { res } = await tap(face);
      assert.ok(res.status >= 400 && res.status < 500, `face=${face} -> ${res.status}`);
    }
    const after = (await allResponses(ctx.srv, admin, { touchpoint: tp.id })).length;
    assert.equal(after, before);
  });

  test('a touchpoint without the kiosk channel has no kiosk page', async () => {
    const other = model.touchpoints.find((t) => !t.channels.includes('kiosk'));
    if (!other) return;
    const { res } = await getPage(ctx.srv, `/k/${other.id}`);
    assert.equal(res.status, 404);
    const r404 = await getPage(ctx.srv, '/k/no-such-touchpoint');
    assert.equal(r404.res.status, 404);
  });

  test('?u= names the unit of a kiosk of a multi-unit touchpoint, kept through tap, follow-up and reset', async () => {
    const multi = model.touchpoints.find((t) => t.units.length > 1 && t.channels.includes('kiosk')
      && surveyOf(model, t).kiosk_question);
    if (!multi) return;  // the demo model has none: covered by the unit tests
    const unit = multi.units[multi.units.length - 1];
    const start = `/k/${multi.id}?lang=fi&u=${encodeURIComponent(unit)}`;
    const page = await getPage(ctx.srv, start);
    assert.equal(page.res.status, 200);
    const fields = [...Object.entries(page.form.hidden), ['face', '1']];
    const res = await postFormTo(`${ctx.srv.url}/k/${multi.id}?u=${encodeURIComponent(unit)}`, fields);
    assert.equal(res.status, 303);
    assert.ok(res.headers.get('location').includes(`u=${encodeURIComponent(unit)}`), res.headers.get('location'));
    const items = await allResponses(ctx.srv, admin, { touchpoint: multi.id, channel: 'kiosk' });
    assert.equal(items[items.length - 1].unit, unit);
    assert.equal((await ctx.srv.fetch(`/k/${multi.id}?u=no-such-unit`)).status, 404);
  });

  test('a second follow-up to the same tap is thanked but not stored; a forged r is refused', async () => {
    if (!survey.kiosk_followup) return;
    const { res } = await tap(faces()[0]);
    assert.equal(res.status, 303);
    const loc = res.headers.get('location');
    const r = new URL(loc, ctx.srv.url).searchParams.get('r');
    const follow = await getPage(ctx.srv, loc);
    const fq = survey.questions.find((q) => q.key === survey.kiosk_followup);
    const option = fq.options[0].key;
    const send = (k) => postFormTo(`${ctx.srv.url}/k/${tp.id}/jatko`,
      [...Object.entries({ ...follow.form.hidden, k }), [`q.${fq.key}`, option]]);
    const first = await send(follow.form.hidden.k);
    assert.equal(first.status, 303);
    const before = (await allResponses(ctx.srv, admin, { touchpoint: tp.id })).length;
    const second = await send(newKey());
    assert.equal(second.status, 303);
    assert.match(second.headers.get('location'), /\/kiitos/);
    assert.equal((await allResponses(ctx.srv, admin, { touchpoint: tp.id })).length, before, 'a second follow-up was stored');
    // r pointing at a response that is no kiosk tap of this touchpoint: refused.
    const other = model.touchpoints.find((t) => t.id !== tp.id && t.channels.includes('api'));
    if (other) {
      const integration = await ctx.srv.token('integration');
      const { apiSubmit } = await import('../lib/flows.mjs');
      const a = await apiSubmit(ctx.srv, integration, other, surveyOf(model, other), { channel: 'api' });
      if (a.status === 201) {
        const forged = await postFormTo(`${ctx.srv.url}/k/${tp.id}/jatko`,
          [...Object.entries({ ...follow.form.hidden, k: newKey(), r: String(a.body.id) }), [`q.${fq.key}`, option]]);
        assert.equal(forged.status, 400);
      }
    }
    assert.ok(r);
  });
});

