// The free-form feedback form (/palaute, /feedback, /respons) and the
// accessibility statement pages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from '../lib/server.mjs';
import { assertRespondentPage } from '../lib/checks.mjs';
import { allResponses, getPage } from '../lib/flows.mjs';
import { forms, optionValues, postFormTo, textContent } from '../lib/html.mjs';
import { countyUnit, leafUnits, loadModel, newKey } from '../lib/model.mjs';

let model;
let admin;
let unit;
let fragment;
const ctx = useServer({ before, after }, async () => {
  model = await loadModel(ctx.srv);
  admin = await ctx.srv.token('admin');
  // A leaf unit whose Finnish name has a distinctive word with a diacritic if possible.
  const leaves = leafUnits(model);
  const words = (u) => u.name.fi.split(/[\s,()-]+/).filter((w) => w.length >= 5);
  unit = leaves.find((u) => words(u).some((w) => /[äöå]/i.test(w))) ?? leaves.find((u) => words(u).length) ?? leaves[0];
  fragment = (words(unit).find((w) => /[äöå]/i.test(w)) ?? words(unit)[0] ?? unit.name.fi).toLowerCase();
});

// Lower-case, diacritics folded (ä -> a), as the search is said to work.
const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();


describe('feedback form', () => {
  for (const [p, lang] of [['/palaute', 'fi'], ['/feedback', 'en'], ['/respons', 'sv']]) {
    test(`GET ${p} renders in ${lang} with kind, text and writer fields`, async () => {
      const { res, html, form } = await getPage(ctx.srv, p);
      assert.equal(res.status, 200);
      assertRespondentPage(res, html, { lang, what: p });
      assert.ok(form, 'no POST form');
      assert.match(form.hidden.k ?? '', /^[A-Za-z0-9_-]{22}$/);
      assert.deepEqual(optionValues(form, 'kind').sort(), ['complaint', 'praise', 'suggestion']);
      assert.deepEqual(optionValues(form, 'respondent').sort(), ['other', 'relative', 'self']);
      assert.ok(form.textareas.some((t) => t.name === 'text'), 'no text area');
      // A GET search form with `haku`, working without JS.
      const search = forms(html).find((f) => (f.attrs.method ?? 'get').toLowerCase() === 'get' && f.inputs.some((i) => i.name === 'haku'));
      assert.ok(search, 'no GET search form with field haku');
      if (lang === 'fi') assert.match(textContent(html), /muistutu/i, 'the feedback page explains muistutus');
    });
  }

  test('searching by a unit name fragment (with and without diacritics) lists the unit', async () => {
    for (const q of [fragment, fold(fragment), fragment.toUpperCase()]) {
      const { res, html, form } = await getPage(ctx.srv, `/palaute?haku=${encodeURIComponent(q)}`);
      assert.equal(res.status, 200);
      const units = optionValues(form, 'unit');
      assert.ok(units.includes(unit.id), `search "${q}" did not list ${unit.id} (${unit.name.fi}); got ${units.slice(0, 10)}`);
      assert.ok(textContent(html).includes(unit.name.fi));
    }
    const sv = await getPage(ctx.srv, `/respons?haku=${encodeURIComponent(unit.name.sv.split(/\s+/)[0])}`);
    assert.ok(optionValues(sv.form, 'unit').includes(unit.id), 'Swedish search');
    const none = await getPage(ctx.srv, '/palaute?haku=zzqqxxnonexistent');
    assert.equal(none.res.status, 200);
    // Only the "I don't know / the whole county" choice may remain.
    assert.deepEqual(optionValues(none.form, 'unit').filter((u) => u !== countyUnit(model).id), []);
  });

  test('a relative\'s complaint is stored as feedback and thanked', async () => {
    const { form } = await getPage(ctx.srv, `/palaute?haku=${encodeURIComponent(fragment)}`);
    const txt = `Omaisen valitus: odotusaika oli pitkä ${newKey()}`;
    const fields = [...Object.entries(form.hidden), ['unit', unit.id], ['kind', 'complaint'], ['text', txt], ['respondent', 'relative']];
    const res = await postFormTo(`${ctx.srv.url}/palaute`, fields);
    assert.equal(res.status, 303);
    const loc = new URL(res.headers.get('location'), ctx.srv.url);
    assert.equal(loc.pathname, '/palaute/kiitos');
    const thanks = await getPage(ctx.srv, loc.pathname + loc.search);
    assert.equal(thanks.res.status, 200);
    assertRespondentPage(thanks.res, thanks.html, { lang: 'fi', what: 'feedback thanks' });
    assert.match(textContent(thanks.html), /muistutu/i, 'feedback thanks page explains muistutus');

    const items = (await allResponses(ctx.srv, admin, { channel: 'feedback' })).filter((i) => Object.values(i.answers).includes(txt));
    assert.equal(items.length, 1);
    assert.equal(items[0].unit, unit.id);
    assert.equal(items[0].respondent, 'relative');
    assert.equal(items[0].language, 'fi');
    assert.ok(!items[0].touchpoint, 'feedback has no touchpoint');

    // The same k again: stored once.
    const again = await postFormTo(`${ctx.srv.url}/palaute`, fields);
    assert.equal(again.status, 303);
    const items2 = (await allResponses(ctx.srv, admin, { channel: 'feedback' })).filter((i) => Object.values(i.answers).includes(txt));
    assert.equal(items2.length, 1);
  });

  test('praise in Swedish and English with a contact request', async () => {
    for (const [p, lang] of [['/respons', 'sv'], ['/feedback', 'en']]) {
      const { form } = await getPage(ctx.srv, p);
      const txt = `Tack ${lang} ${newKey()}`;
      const fields = [...Object.entries(form.hidden), ['unit', unit.id], ['kind', 'praise'], ['text', txt], ['respondent', 'self'],
        ['contact.wanted', 'yes'], ['contact.name', 'Testi Henkilö'], ['contact.email', 'testi@example.fi'], ['contact.consent', 'yes']];
      const res = await postFormTo(ctx.srv.url + p, fields);
      assert.equal(res.status, 303, `${p}: ${res.status} ${res.status === 422 ? await res.text() : ''}`.slice(0, 2000));
      const loc = new URL(res.headers.get('location'), ctx.srv.url);
      assert.equal(loc.searchParams.get('lang') ?? lang, lang);
      const thanks = await getPage(ctx.srv, loc.pathname + loc.search);
      assert.equal(thanks.res.status, 200);
      assertRespondentPage(thanks.res, thanks.html, { lang, what: `${p} thanks` });
      const items = (await allResponses(ctx.srv, admin, { channel: 'feedback' })).filter((i) => Object.values(i.answers).includes(txt));
      assert.equal(items.length, 1);
      assert.equal(items[0].language, lang);
      assert.ok(!JSON.stringify(items[0]).includes('testi@example.fi'), 'contact details in the response listing');
    }
  });

  test('a feedback written by "other" is recorded as other', async () => {
    const { form } = await getPage(ctx.srv, '/palaute');
    const txt = `other-${newKey()}`;
    const res = await postFormTo(`${ctx.srv.url}/palaute`, [...Object.entries(form.hidden), ['unit', unit.id], ['kind', 'suggestion'], ['text', txt], ['respondent', 'other']]);
    assert.equal(res.status, 303);
    const items = (await allResponses(ctx.srv, admin, { channel: 'feedback' })).filter((i) => Object.values(i.answers).includes(txt));
    assert.equal(items.length, 1);
    assert.equal(items[0].respondent, 'other');
  });

  test('missing fields -> 422 with errors tied to fields, nothing stored', async () => {
    const { form } = await getPage(ctx.srv, '/palaute');
    const res = await postFormTo(`${ctx.srv.url}/palaute`, [...Object.entries(form.hidden), ['respondent', 'self']]);
    assert.equal(res.status, 422);
    const html = await res.text();
    assertRespondentPage(res, html, { lang: 'fi', what: 'feedback 422' });
    assert.match(html, /aria-invalid="true"/);
    assert.match(html, /aria-describedby="/);
    // Consent missing for a contact request.
    const res2 = await postFormTo(`${ctx.srv.url}/palaute`, [...Object.entries(form.hidden), ['k', newKey()], ['unit', unit.id], ['kind', 'praise'],
      ['text', 'hyvä'], ['respondent', 'self'], ['contact.wanted', 'yes'], ['contact.phone', 'not a phone']]);
    assert.equal(res2.status, 422);
    await res2.text();
    // Unknown unit.
    const res3 = await postFormTo(`${ctx.srv.url}/palaute`, [...Object.entries(form.hidden), ['k', newKey()], ['unit', 'no-such-unit'], ['kind', 'praise'],
      ['text', 'hyvä'], ['respondent', 'self']]);
    assert.equal(res3.status, 422);
    await res3.text();
  });
});

describe('accessibility statement', () => {
  for (const [p, lang] of [['/saavutettavuus', 'fi'], ['/tillganglighet', 'sv'], ['/accessibility', 'en']]) {
    test(`GET ${p} in ${lang}`, async () => {
      const { res, html } = await getPage(ctx.srv, p);
      assert.equal(res.status, 200);
      assertRespondentPage(res, html, { lang, what: p });
      const t = textContent(html);
      assert.match(t, /306\/2019/, 'names Act 306/2019');
      assert.match(html, /href="(mailto:|https?:|\/palaute|\/feedback|\/respons)/, 'has a feedback channel');
      assert.match(t, /WCAG/);
    });
  }

  test('every respondent page links to the accessibility statement', async () => {
    const { html } = await getPage(ctx.srv, '/palaute');
    assert.match(html, /href="\/saavutettavuus/);
    const en = await getPage(ctx.srv, '/feedback');
    assert.match(en.html, /href="\/accessibility/);
  });
});
