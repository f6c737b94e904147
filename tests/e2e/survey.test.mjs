// The web survey channel over the real port: /s/{touchpoint} in four languages,
// submitting, validation errors, idempotency, the thank-you page, 404.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { useServer } from '../lib/server.mjs';
import { assertRespondentPage, assertEscaped } from '../lib/checks.mjs';
import { allResponses, answerSurvey, getPage, surveyFields } from '../lib/flows.mjs';
import { htmlLang, optionValues, postFormTo, textContent } from '../lib/html.mjs';
import {
  LANGS, answersMatch, loadModel, newKey, openTextQuestion, subtreeIds, surveyById, surveyOf, text, touchpointFor, validApiAnswers, validFormFields,
} from '../lib/model.mjs';

let model;
let admin;
let tp;
let survey;
const ctx = useServer({ before, after }, async () => {
  model = await loadModel(ctx.srv);
  admin = await ctx.srv.token('admin');
  tp = touchpointFor(model, 'web');
  survey = surveyOf(model, tp);
});

// Responses whose first open-text answer equals `marker`.
async function byMarker(marker, query = {}) {
  const ot = openTextQuestion(survey);
  const items = await allResponses(ctx.srv, admin, query);
  return items.filter((i) => Object.values(i.answers ?? {}).includes(marker) || i.answers?.[ot.key] === marker);
}

function expectKiitos(res, lang) {
  assert.equal(res.status, 303, `POST answered ${res.status}`);
  const loc = res.headers.get('location') ?? '';
  const u = new URL(loc, ctx.srv.url);
  assert.equal(u.pathname, `/s/${tp.id}/kiitos`, `Location ${loc}`);
  assert.equal(u.searchParams.get('lang'), lang, `Location ${loc}`);
  return loc;
}

describe('GET /s/{touchpoint}', () => {
  for (const lang of LANGS) {
    test(`renders the survey in ${lang} via ?lang=`, async () => {
      const { res, html, form } = await getPage(ctx.srv, `/s/${tp.id}?lang=${lang}`);
      assert.equal(res.status, 200);
      assertRespondentPage(res, html, { lang, what: `/s/${tp.id}?lang=${lang}` });
      const body = textContent(html);
      assert.ok(body.includes(text(survey.title, lang)), `title "${text(survey.title, lang)}" not on the ${lang} page`);
      for (const q of survey.questions) {
        assert.ok(body.includes(text(q.text, lang)), `question ${q.key} text "${text(q.text, lang)}" not on the ${lang} page`);
      }
      assert.ok(form, 'no POST form');
      assert.match(form.hidden.k ?? '', /^[A-Za-z0-9_-]{22}$/, `hidden k ${form.hidden.k}`);
      assert.equal(form.hidden.lang, lang, 'hidden lang');
      for (const q of survey.questions) {
        if (q.type === 'contact_request') {
          assert.ok(form.names.has('contact.wanted'), 'contact.wanted field');
          continue;
        }
        assert.ok(form.names.has(`q.${q.key}`), `no field q.${q.key}`);
        if (q.type === 'nps') assert.deepEqual(optionValues(form, `q.${q.key}`), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
        if (q.type === 'agreement') assert.deepEqual(optionValues(form, `q.${q.key}`).sort(), ['1', '2', '3', '4', '5', 'cant_say']);
        if (q.type === 'smiley3') assert.deepEqual(optionValues(form, `q.${q.key}`).sort(), ['1', '2', '3']);
        if (q.type === 'smiley5') assert.deepEqual(optionValues(form, `q.${q.key}`).sort(), ['1', '2', '3', '4', '5']);
        if (q.type === 'single_choice' || q.type === 'multi_choice') {
          assert.deepEqual(optionValues(form, `q.${q.key}`).sort(), q.options.map((o) => o.key).sort());
        }
      }
      // Every input has a label: id referenced by a <label for> or wrapped (checked by axe in the browser tests).
      // Language switch: links to the other languages.
      for (const other of LANGS.filter((l) => l !== lang)) {
        const re = new RegExp(`href="[^"]*[?&;]lang=${other.replace(/-/g, '\\-')}(?:&|&amp;|")`);
        assert.match(html, re, `no language switch link to ${other}`);
      }
    });
  }

  const acceptCases = [
    ['sv-FI,sv;q=0.9,en;q=0.5', 'sv'],
    ['en-GB,en;q=0.8', 'en'],
    ['fi-FI', 'fi'],
    ['de-DE,fr;q=0.9', 'fi'],
    ['en;q=0.2,sv;q=0.8', 'sv'],
  ];
  for (const [header, want] of acceptCases) {
    test(`Accept-Language "${header}" -> ${want}`, async () => {
      const { res, html, form } = await getPage(ctx.srv, `/s/${tp.id}`, { headers: { 'accept-language': header } });
      assert.equal(res.status, 200);
      assert.equal(htmlLang(html), want);
      assert.equal(form.hidden.lang, want);
      assert.ok(textContent(html).includes(text(survey.title, want)));
    });
  }

  test('no Accept-Language and no ?lang -> Finnish; ?lang wins over the header', async () => {
    const a = await fetch(`${ctx.srv.url}/s/${tp.id}`, { headers: { 'accept-language': '' } });
    assert.equal(htmlLang(await a.text()), 'fi');
    const b = await getPage(ctx.srv, `/s/${tp.id}?lang=sv`, { headers: { 'accept-language': 'en' } });
    assert.equal(htmlLang(b.html), 'sv');
  });

  test('every GET hands out a fresh one-time key', async () => {
    const a = await getPage(ctx.srv, `/s/${tp.id}`);
    const b = await getPage(ctx.srv, `/s/${tp.id}`);
    assert.notEqual(a.form.hidden.k, b.form.hidden.k);
  });

  test('a touchpoint not measured through the web (e.g. SMS or kiosk only) has no web survey', async () => {
    const noWeb = model.touchpoints.filter((t) => !t.channels.some((c) => ['web', 'qr', 'tablet'].includes(c)));
    assert.ok(noWeb.length > 0, 'demo model has SMS- or kiosk-only touchpoints');
    for (const t of noWeb) {
      const { res } = await getPage(ctx.srv, `/s/${t.id}`);
      assert.equal(res.status, 404, `GET /s/${t.id} (channels ${t.channels}) -> ${res.status}`);
      const s = surveyOf(model, t);
      const post = await postFormTo(`${ctx.srv.url}/s/${t.id}`, [['k', newKey()], ['lang', 'fi'], ['respondent', 'self'], ...validFormFields(s)]);
      assert.ok(post.status === 404 || post.status === 422, `POST /s/${t.id} (channels ${t.channels}) -> ${post.status}; stored as channel web`);
    }
  });

  test('unknown touchpoint -> friendly 404 page', async () => {
    const { res, html } = await getPage(ctx.srv, '/s/no-such-touchpoint-xyz?lang=sv');
    assert.equal(res.status, 404);
    assertRespondentPage(res, html, { lang: 'sv', what: '404 page' });
    assert.ok(/<h1\b/i.test(html), '404 page has a heading');
  });

  test('a variant the touchpoint lacks -> 404; ?v=child renders the children\'s survey', async () => {
    const withChild = model.touchpoints.find((t) => t.child_survey);
    const without = model.touchpoints.find((t) => !t.child_survey && t.channels.includes('web'));
    if (without) {
      const r = await getPage(ctx.srv, `/s/${without.id}?v=child`);
      assert.equal(r.res.status, 404, `?v=child on ${without.id} (no child survey)`);
    }
    assert.ok(withChild, 'demo model has a touchpoint with a child survey');
    const child = surveyById(model, withChild.child_survey);
    const { res, html, form } = await getPage(ctx.srv, `/s/${withChild.id}?v=child&lang=fi`);
    assert.equal(res.status, 200);
    assert.ok(textContent(html).includes(text(child.title, 'fi')));
    assert.equal(form.hidden.v, 'child');
    for (const q of child.questions.filter((x) => x.type !== 'contact_request')) assert.ok(form.names.has(`q.${q.key}`));
  });
});

describe('POST /s/{touchpoint}', () => {
  for (const lang of LANGS) {
    test(`a complete answer in ${lang} -> 303 to kiitos, stored with the right fields`, async () => {
      const marker = `survey-${lang}-${newKey()}`;
      const { res } = await answerSurvey(ctx.srv, tp, survey, { lang, marker });
      const loc = expectKiitos(res, lang);
      const thanks = await getPage(ctx.srv, loc);
      assert.equal(thanks.res.status, 200);
      assertRespondentPage(thanks.res, thanks.html, { lang, what: 'kiitos' });
      if (lang === 'fi') assert.match(textContent(thanks.html), /muistutu/i, 'thank-you page explains muistutus');
      if (lang === 'sv') assert.match(textContent(thanks.html), /anmärkning/i, 'tack-sidan förklarar anmärkning');
      assert.match(thanks.html, /href="\/(palaute|feedback|respons)/, 'thank-you page links to the feedback form');

      const found = await byMarker(marker, { touchpoint: tp.id });
      assert.equal(found.length, 1, `stored ${found.length} times`);
      const it = found[0];
      assert.equal(it.touchpoint, tp.id);
      assert.equal(it.survey, survey.id);
      assert.equal(it.language, lang);
      assert.equal(it.channel, 'web');
      assert.equal(it.respondent, 'self');
      assert.equal(it.model_version, model.version);
      assert.equal(answersMatch(it.answers, validApiAnswers(survey, { marker })), null);
    });
  }

  test('?c=qr is recorded as channel qr; on_behalf is recorded', async () => {
    const qrTp = model.touchpoints.find((t) => t.channels.includes('qr') && surveyOf(model, t).questions.some((q) => q.type === 'open_text'));
    assert.ok(qrTp, 'a touchpoint with channel qr');
    const s = surveyOf(model, qrTp);
    const marker = `qr-${newKey()}`;
    const page = await getPage(ctx.srv, `/s/${qrTp.id}?c=qr&lang=sv`);
    assert.equal(page.form.hidden.c, 'qr');
    const fields = surveyFields(page.form, s, { marker, respondent: 'on_behalf' });
    const res = await postFormTo(`${ctx.srv.url}/s/${qrTp.id}`, fields);
    assert.equal(res.status, 303);
    const items = (await allResponses(ctx.srv, admin, { touchpoint: qrTp.id })).filter((i) => Object.values(i.answers).includes(marker));
    assert.equal(items.length, 1);
    assert.equal(items[0].channel, 'qr');
    assert.equal(items[0].language, 'sv');
    assert.equal(items[0].respondent, 'on_behalf');
  });

  test('?u= picks the unit of a multi-unit touchpoint; without it the answer is filed above all its units', async () => {
    const multi = model.touchpoints.find((t) => t.units.length > 1 && t.channels.includes('web')
      && surveyOf(model, t).questions.some((q) => q.type === 'open_text'));
    assert.ok(multi, 'demo model has a web touchpoint measured at several units');
    const s = surveyOf(model, multi);
    const unit = multi.units[1];
    const m1 = `unit-${newKey()}`;
    const r1 = await answerSurvey(ctx.srv, multi, s, { path: `/s/${multi.id}?u=${encodeURIComponent(unit)}&lang=fi`, marker: m1 });
    assert.equal(r1.res.status, 303);
    const m2 = `nounit-${newKey()}`;
    const r2 = await answerSurvey(ctx.srv, multi, s, { marker: m2 });
    assert.equal(r2.res.status, 303);
    const items = await allResponses(ctx.srv, admin, { touchpoint: multi.id });
    const a = items.find((i) => Object.values(i.answers).includes(m1));
    const b = items.find((i) => Object.values(i.answers).includes(m2));
    assert.equal(a.unit, unit);
    for (const u of multi.units) assert.ok(subtreeIds(model, b.unit).has(u), `fallback unit ${b.unit} is not above ${u}`);
    const foreign = model.units.find((u) => !multi.units.includes(u.id) && u.parent);
    const bad = await getPage(ctx.srv, `/s/${multi.id}?u=${foreign.id}`);
    assert.equal(bad.res.status, 404, 'a unit the touchpoint does not measure');
  });

  test('children\'s and relatives\' variants are stored under their own survey', async () => {
    for (const [v, field] of [['child', 'child_survey'], ['relative', 'relative_survey']]) {
      const vtp = model.touchpoints.find((t) => t[field] && t.channels.includes('web'));
      assert.ok(vtp, `a web touchpoint with a ${field}`);
      const vs = surveyById(model, vtp[field]);
      const marker = `${v}-${newKey()}`;
      const hasText = vs.questions.some((q) => q.type === 'open_text');
      const { res } = await answerSurvey(ctx.srv, vtp, vs, { path: `/s/${vtp.id}?v=${v}&lang=sv`, marker });
      assert.equal(res.status, 303, `${v}: ${res.status}`);
      const items = await allResponses(ctx.srv, admin, { touchpoint: vtp.id });
      const it = hasText ? items.find((i) => Object.values(i.answers).includes(marker)) : items.at(-1);
      assert.ok(it, `${v} response not stored`);
      assert.equal(it.survey, vs.id);
      assert.equal(it.language, 'sv');
      if (v === 'relative') assert.equal(it.respondent, 'relative');
    }
  });

  test('language links and a re-rendered form keep the unit, channel and variant', async () => {
    const t = model.touchpoints.find((x) => x.units.length > 1 && x.child_survey && x.channels.includes('qr'));
    if (!t) return;
    const u = t.units.at(-1);
    const { html } = await getPage(ctx.srv, `/s/${t.id}?u=${u}&c=qr&v=child&lang=fi`);
    const links = [...html.matchAll(/href="([^"]*[?&](?:amp;)?lang=sv[^"]*)"/g)].map((m) => new URL(m[1].replace(/&amp;/g, '&'), ctx.srv.url));
    assert.ok(links.length > 0, 'no link to Swedish');
    for (const l of links) {
      assert.equal(l.searchParams.get('u'), u, `language link ${l} drops the unit`);
      assert.equal(l.searchParams.get('c'), 'qr', `language link ${l} drops the channel`);
      assert.equal(l.searchParams.get('v'), 'child', `language link ${l} drops the variant`);
    }
    const page = await getPage(ctx.srv, `/s/${t.id}?u=${u}&c=qr&lang=fi`);
    const bad = await postFormTo(new URL(page.form.attrs.action, ctx.srv.url).href, [...Object.entries(page.form.hidden), ['q.nps', '99']]);
    assert.equal(bad.status, 422);
    const again = (await import('../lib/html.mjs')).postForm(await bad.text());
    const action = new URL(again.attrs.action, ctx.srv.url);
    assert.equal(action.searchParams.get('u'), u, 'the re-rendered form drops the unit');
    assert.equal(again.hidden.c, 'qr', 'the re-rendered form drops the channel');
  });

  test('a contact request is stored apart from the answers and never listed', async () => {
    const contactQ = survey.questions.find((q) => q.type === 'contact_request');
    if (!contactQ) return;
    const marker = `contact-${newKey()}`;
    const phone = `040 ${String(Date.now()).slice(-7)}`;
    const page = await getPage(ctx.srv, `/s/${tp.id}?lang=fi`);
    const fields = [...surveyFields(page.form, survey, { marker }), ['contact.wanted', 'yes'], ['contact.name', 'Maija Meikäläinen'],
      ['contact.phone', phone], ['contact.email', 'maija@example.fi'], ['contact.consent', 'yes']];
    const res = await postFormTo(`${ctx.srv.url}/s/${tp.id}`, fields);
    assert.equal(res.status, 303, res.status === 422 ? (await res.text()).slice(0, 2000) : `status ${res.status}`);
    const it = (await byMarker(marker, { touchpoint: tp.id }))[0];
    assert.ok(it);
    assert.ok(!JSON.stringify(it).includes(phone) && !JSON.stringify(it).includes('Maija'), 'contact details in the response listing');
    const db = path.join(ctx.srv.dataDir, 'kaiku.db');
    const q = (sql) => execFileSync('sqlite3', [db, sql], { encoding: 'utf8' });
    assert.ok(!q(`SELECT answers FROM responses WHERE id=${Number(it.id)}`).includes(phone), 'phone stored among the answers');
    assert.ok(q(`SELECT * FROM contact_requests WHERE response_id=${Number(it.id)}`).includes(phone), 'contact request not stored');
    // Without consent: an error tied to the consent field, nothing stored.
    const noConsent = fields.filter(([k]) => k !== 'contact.consent').map(([k, v]) => [k, k === 'k' ? newKey() : v]);
    const r2 = await postFormTo(`${ctx.srv.url}/s/${tp.id}`, noConsent);
    assert.equal(r2.status, 422);
    assert.match(await r2.text(), /name="contact\.consent"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="contact\.consent"/);
  });

  test('the same k twice -> the same 303, stored once', async () => {
    const marker = `dup-${newKey()}`;
    const first = await answerSurvey(ctx.srv, tp, survey, { marker });
    const loc1 = expectKiitos(first.res, 'fi');
    const second = await postFormTo(first.action, first.fields);
    const loc2 = expectKiitos(second, 'fi');
    assert.equal(loc2, loc1);
    // A refresh that changed an answer must not store a second response either: the
    // form comes back (409) with the answers, a fresh key and a notice.
    const changed = first.fields.map(([k, v]) => [k, v === marker ? `${marker}-changed` : v]);
    const third = await postFormTo(first.action, changed);
    assert.equal(third.status, 409);
    const html = await third.text();
    assert.ok(html.includes(`${marker}-changed`), 'the changed answers are kept');
    assert.ok(html.includes('error-summary'), 'a notice in the error summary');
    const found = await byMarker(marker, { touchpoint: tp.id });
    assert.equal(found.length, 1, `stored ${found.length} times`);
    assert.equal((await byMarker(`${marker}-changed`, { touchpoint: tp.id })).length, 0);
  });

  test('concurrent double submit of one k stores once', async () => {
    const marker = `race-${newKey()}`;
    const page = await getPage(ctx.srv, `/s/${tp.id}`);
    const fields = surveyFields(page.form, survey, { marker });
    const results = await Promise.all(Array.from({ length: 8 }, () => postFormTo(`${ctx.srv.url}/s/${tp.id}`, fields)));
    for (const r of results) assert.equal(r.status, 303);
    assert.equal((await byMarker(marker, { touchpoint: tp.id })).length, 1);
  });

  test('validation failure -> 422, form re-rendered with values kept and errors tied to fields', async () => {
    const page = await getPage(ctx.srv, `/s/${tp.id}?lang=fi`);
    const marker = `invalid-${newKey()}`;
    const nps = survey.questions.find((q) => q.type === 'nps');
    const required = survey.questions.filter((q) => q.required && q.type !== 'contact_request' && q !== nps);
    const ot = openTextQuestion(survey);
    let fields = surveyFields(page.form, survey, { marker });
    // Out-of-range NPS, and every other required question left out.
    fields = fields.filter(([k]) => !required.some((q) => k === `q.${q.key}`));
    if (nps) fields = fields.map(([k, v]) => [k, k === `q.${nps.key}` ? '11' : v]);
    const res = await postFormTo(`${ctx.srv.url}/s/${tp.id}`, fields);
    assert.equal(res.status, 422);
    const html = await res.text();
    assertRespondentPage(res, html, { lang: 'fi', what: '422 page' });
    const bad = [nps, ...required].filter(Boolean);
    assert.ok(bad.length > 0, 'test needs an NPS or a required question');
    for (const q of bad) {
      // The field is marked invalid and described by an error message that exists.
      const inputs = html.match(new RegExp(`<(?:input|textarea|select)\\b[^>]*name="q\\.${q.key}"[^>]*>`, 'g')) ?? [];
      assert.ok(inputs.length > 0, `field q.${q.key} not re-rendered`);
      const group = html.match(new RegExp(`<fieldset\\b[^>]*aria-describedby="([^"]+)"[^>]*>(?:(?!</fieldset>)[\\s\\S])*name="q\\.${q.key}"`));
      const described = group?.[1] ?? inputs.map((t) => /aria-describedby="([^"]+)"/.exec(t)?.[1]).find(Boolean);
      assert.ok(described, `q.${q.key}: no aria-describedby on the field or its fieldset`);
      const ids = described.split(/\s+/);
      assert.ok(ids.some((id) => html.includes(`id="${id}"`)), `q.${q.key}: aria-describedby points to nothing`);
      assert.ok(/aria-invalid="true"/.test(group?.[0] ?? '') || inputs.some((t) => /aria-invalid="true"/.test(t)),
        `q.${q.key}: no aria-invalid`);
    }
    // An error summary that links to the fields.
    assert.match(html, /href="#[^"]+"/, 'error summary links to fields');
    // Values kept: the open text and the hidden key.
    if (ot && !required.includes(ot)) assert.ok(html.includes(marker), 'open-text value not kept');
    assert.ok(html.includes(page.form.hidden.k), 'the same one-time key is kept');
    assert.equal((await byMarker(marker, { touchpoint: tp.id })).length, 0, 'an invalid answer was stored');
  });

  test('missing or malformed k -> not stored, 4xx', async () => {
    const page = await getPage(ctx.srv, `/s/${tp.id}`);
    const marker = `nokey-${newKey()}`;
    const noKey = surveyFields(page.form, survey, { marker }).filter(([k]) => k !== 'k');
    const r1 = await postFormTo(`${ctx.srv.url}/s/${tp.id}`, noKey);
    assert.ok(r1.status >= 400 && r1.status < 500, `no k -> ${r1.status}`);
    const badKey = [...noKey, ['k', '<bad key>']];
    const r2 = await postFormTo(`${ctx.srv.url}/s/${tp.id}`, badKey);
    assert.ok(r2.status >= 400 && r2.status < 500, `bad k -> ${r2.status}`);
    const html = await r2.text();
    assertEscaped(html, '<bad key>', 'bad k page');
    assert.equal((await byMarker(marker, { touchpoint: tp.id })).length, 0);
  });

  test('POST to an unknown touchpoint -> 404', async () => {
    const res = await postFormTo(`${ctx.srv.url}/s/no-such-touchpoint-xyz`, { k: newKey(), lang: 'fi' });
    assert.equal(res.status, 404);
  });
});
