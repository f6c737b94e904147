// Development actions ("you said, we did") and the public results page on the real
// binary: a unit manager records an action linked to a case of their unit and
// publishes it; it appears on the Finnish and Swedish public pages, a draft does
// not; scope and roles are enforced at the API; the results page shows NPS where
// there are enough answers and "fewer than 5 answers" where there are not.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from '../lib/server.mjs';
import { apiSubmit } from '../lib/flows.mjs';
import { loadModel, surveyOf, touchpointsFor } from '../lib/model.mjs';

let model;
let big;      // {tp, unit, area}: the unit with enough answers
let small;    // {tp, unit}: a unit of another area with one answer
let manager;
let analyst;
const caseIds = [];

function parentOf(id) {
  return model.units.find((u) => u.id === id)?.parent ?? null;
}

const ctx = useServer({ before, after }, async (srv) => {
  model = await loadModel(srv);
  // Two web touchpoints at units of different areas, each with an open-text question.
  const tps = touchpointsFor(model, 'web').filter((tp) => surveyOf(model, tp).questions.some((q) => q.type === 'open_text'));
  const first = tps[0];
  const unit = first.units[0];
  big = { tp: first, unit, area: parentOf(unit) };
  const other = tps.find((tp) => parentOf(tp.units[0]) !== big.area && !tp.units.includes(unit));
  assert.ok(other, 'the model has web touchpoints in two areas');
  small = { tp: other, unit: other.units[0] };

  const integration = await srv.token('integration');
  for (let i = 0; i < 7; i++) {
    const r = await apiSubmit(srv, integration, big.tp, surveyOf(model, big.tp), { marker: `Jonotin puhelimessa ${i}` });
    assert.equal(r.status, 201, r.text);
    caseIds.push(r.body.id);
  }
  const one = await apiSubmit(srv, integration, small.tp, surveyOf(model, small.tp));
  assert.equal(one.status, 201, one.text);
  // A third area with a few answers more than the threshold: the county's line then has
  // a smaller shown cell than big's area for complementary suppression to hide
  // besides the small one (else big's figures would give away the small one's as
  // county total minus big: see docs/public-pages.md).
  const third = tps.find((tp) => ![big.area, parentOf(small.unit)].includes(parentOf(tp.units[0])));
  assert.ok(third, 'the model has web touchpoints in three areas');
  for (let i = 0; i < 6; i++) {
    const r = await apiSubmit(srv, integration, third, surveyOf(model, third));
    assert.equal(r.status, 201, r.text);
  }
  manager = await srv.token('unit_manager', big.unit);
  analyst = await srv.token('analyst');
});

function action(overrides = {}) {
  return {
    unit: big.unit,
    title: { fi: 'Takaisinsoittopalvelu käyttöön', sv: 'Återuppringningstjänst införd' },
    description: { fi: 'Puhelinjonoon voi nyt jättää takaisinsoittopyynnön.', sv: 'Man kan nu begära att bli uppringd.' },
    reason: { fi: 'Palautteessa kerrottiin pitkistä puhelinjonoista.', sv: 'Responsen berättade om långa telefonköer.' },
    done_on: '2026-10-01',
    themes: [],
    cases: [caseIds[0]],
    published: true,
    ...overrides,
  };
}

describe('development actions: you said, we did', () => {
  let published;

  test('a unit manager creates an action linked to a case of their unit and publishes it', async () => {
    const r = await ctx.srv.api('POST', '/api/v1/actions', { token: manager, body: action() });
    assert.equal(r.status, 201, r.text);
    published = r.body;
    assert.equal(published.unit, big.unit);
    assert.deepEqual(published.cases, [caseIds[0]]);
    assert.equal(published.published, true);
    assert.match(published.created_by, /unit_manager/);
    assert.equal(r.headers.get('location'), `/api/v1/actions/${published.id}`);
    const got = await ctx.srv.api('GET', `/api/v1/actions/${published.id}`, { token: manager });
    assert.equal(got.status, 200, got.text);
    assert.deepEqual(got.body, published);
  });

  test('a draft is stored but not public', async () => {
    const r = await ctx.srv.api('POST', '/api/v1/actions', {
      token: manager,
      body: action({ title: { fi: 'Keskeneräinen luonnos' }, published: false, cases: [] }),
    });
    assert.equal(r.status, 201, r.text);
    const list = await ctx.srv.api('GET', '/api/v1/actions?published=false', { token: manager });
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.body.actions.map((a) => a.id), [r.body.id]);
  });

  test('the published action appears on the public pages in Finnish and Swedish; the draft does not', async () => {
    const fi = await ctx.srv.fetch(`/sanoitte-teimme/${big.area}`);
    assert.equal(fi.status, 200);
    const html = await fi.text();
    assert.match(html, /<html lang="fi">/);
    assert.ok(html.includes('Takaisinsoittopalvelu käyttöön'), html.slice(0, 2000));
    assert.ok(html.includes('Palautteessa kerrottiin pitkistä puhelinjonoista.'));
    assert.ok(html.includes('<time datetime="2026-10-01">1.10.2026</time>'));
    assert.ok(!html.includes('Keskeneräinen luonnos'), 'a draft is not public');
    const sv = await ctx.srv.fetch(`/ni-sade-vi-gjorde/${big.area}`);
    assert.equal(sv.status, 200);
    const svHtml = await sv.text();
    assert.match(svHtml, /<html lang="sv">/);
    assert.ok(svHtml.includes('Återuppringningstjänst införd'));
    assert.ok(!svHtml.includes('Keskeneräinen luonnos'));
    const en = await ctx.srv.fetch(`/you-said-we-did/${big.unit}`);
    assert.equal(en.status, 200);
    const index = await (await ctx.srv.fetch('/sanoitte-teimme')).text();
    assert.ok(index.includes(`href="/sanoitte-teimme/${big.area}"`), 'the area is listed');
    assert.ok(!index.includes(`href="/sanoitte-teimme/${small.unit}"`), 'a unit without actions is not');
    const otherArea = await (await ctx.srv.fetch(`/sanoitte-teimme/${parentOf(small.unit)}`)).text();
    assert.ok(!otherArea.includes('Takaisinsoittopalvelu käyttöön'), 'not on another area\'s page');
    assert.equal((await ctx.srv.fetch('/sanoitte-teimme/no-such-area')).status, 404);
  });

  test('scope and roles are enforced at the API', async () => {
    const outside = await ctx.srv.api('POST', '/api/v1/actions', { token: manager, body: action({ unit: small.unit, cases: [] }) });
    assert.equal(outside.status, 403, outside.text);
    const asAnalyst = await ctx.srv.api('POST', '/api/v1/actions', { token: analyst, body: action() });
    assert.equal(asAnalyst.status, 403, asAnalyst.text);
    const readable = await ctx.srv.api('GET', '/api/v1/actions', { token: analyst });
    assert.equal(readable.status, 200, 'an analyst reads');
    const noSv = await ctx.srv.api('POST', '/api/v1/actions', { token: manager, body: action({ title: { fi: 'Vain suomeksi' } }) });
    assert.equal(noSv.status, 400, noSv.text);
    assert.match(noSv.body.detail, /^title\.sv:/);
    const smallManager = await ctx.srv.token('unit_manager', small.unit);
    const foreignCase = await ctx.srv.api('POST', '/api/v1/actions', {
      token: smallManager, body: action({ unit: small.unit, cases: [caseIds[1]] }),
    });
    assert.equal(foreignCase.status, 400, foreignCase.text);
    assert.match(foreignCase.body.detail, /^cases:/);
    const hidden = await ctx.srv.api('GET', `/api/v1/actions/${published.id}`, { token: smallManager });
    assert.equal(hidden.status, 404);
    const del = await ctx.srv.api('DELETE', `/api/v1/actions/${published.id}`, { token: smallManager });
    assert.equal(del.status, 404);
    const anon = await ctx.srv.api('GET', '/api/v1/actions');
    assert.equal(anon.status, 401);
  });
});

describe('public results page', () => {
  test('shows NPS with its interval for a unit with enough answers', async () => {
    const res = await ctx.srv.fetch(`/tulokset/${big.unit}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
    const html = await res.text();
    assert.match(html, /Vastauksia: <strong>7<\/strong>/, html.slice(0, 3000));
    assert.match(html, /<p class="figure">[−]?\d+<\/p>/);
    assert.match(html, /95 %:n luottamusväli: /);
    assert.ok(!html.includes('alle 5 vastausta</p>'), 'NPS is not suppressed');
  });

  test('shows "fewer than 5" for a small unit, never a number', async () => {
    const res = await ctx.srv.fetch(`/results/${small.unit}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<html lang="en">/);
    assert.match(html, /<p class="figure suppressed">fewer than 5 answers<\/p>/);
    assert.match(html, /Answers: <strong>fewer than 5 answers<\/strong>/);
    assert.ok(!/<p class="figure">/.test(html));
    assert.ok(!html.includes('class="num"'), 'no statement figure');
    const sv = await (await ctx.srv.fetch(`/resultat/${small.unit}`)).text();
    assert.ok(sv.includes('färre än 5 svar'));
    const bare = await ctx.srv.fetch('/tulokset');
    assert.equal(bare.status, 303);
  });
});
