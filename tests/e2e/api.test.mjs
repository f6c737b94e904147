// The JSON API over the real port: health, model, touchpoints, submitting and
// listing responses, RFC 9457 problems, paging.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from '../lib/server.mjs';
import { assertProblem } from '../lib/checks.mjs';
import { allResponses, apiSubmit } from '../lib/flows.mjs';
import { LANGS, answersMatch, areas, countyUnit, loadModel, newKey, openTextQuestion, surveyOf, touchpointFor } from '../lib/model.mjs';

let model;
let integration;
let admin;
const ctx = useServer({ before, after }, async () => {
  model = await loadModel(ctx.srv);
  integration = await ctx.srv.token('integration');
  admin = await ctx.srv.token('admin');
});

describe('health and model', () => {
  test('GET /healthz answers {"status":"ok"}', async () => {
    const r = await ctx.srv.api('GET', '/healthz');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(r.body.status, 'ok');
  });

  test('GET /api/v1/model has the contract shape and the demo county is big enough', () => {
    assert.equal(typeof model.version, 'string');
    assert.ok(model.version.length > 0);
    assert.ok('county' in model, 'model.county');
    assert.ok(Array.isArray(model.languages));
    for (const l of model.languages) assert.ok(LANGS.includes(l), `unknown language ${l}`);
    for (const l of LANGS) assert.ok(model.languages.includes(l), `demo model does not enable ${l}`);
    assert.equal(typeof model.reporting_threshold, 'number');

    const unitIds = new Set(model.units.map((u) => u.id));
    assert.equal(unitIds.size, model.units.length, 'unit ids are unique');
    const roots = model.units.filter((u) => !u.parent);
    assert.equal(roots.length, 1, 'exactly one root unit');
    for (const u of model.units) {
      assert.equal(typeof u.id, 'string');
      assert.ok('parent' in u, `unit ${u.id} has no "parent" key`);
      if (u.parent) assert.ok(unitIds.has(u.parent), `unit ${u.id}: parent ${u.parent} unknown`);
      for (const l of ['fi', 'sv', 'en']) assert.ok(u.name?.[l], `unit ${u.id} has no ${l} name`);
      assert.ok(Array.isArray(u.codes), `unit ${u.id}: codes is not an array`);
      for (const c of u.codes) {
        assert.equal(typeof c.system, 'string');
        assert.equal(typeof c.value, 'string');
      }
    }
    assert.ok(areas(model).length >= 5, `demo has ${areas(model).length} service areas, want >= 5`);
    assert.ok(model.units.length >= 40, `demo has ${model.units.length} units, want >= 40`);
    assert.ok(model.units.some((u) => u.codes.length > 0), 'some unit has EHR codes / OIDs');

    assert.ok(model.journeys.length >= 10, `demo has ${model.journeys.length} journeys, want >= 10`);
    const journeys = new Map(model.journeys.map((j) => [j.id, j]));
    for (const j of model.journeys) {
      assert.ok(j.name?.fi && j.name?.sv, `journey ${j.id} names`);
      assert.ok(Array.isArray(j.stages) && j.stages.length > 0, `journey ${j.id} stages`);
      for (const s of j.stages) assert.ok(s.id && s.name, `journey ${j.id} stage shape`);
    }

    const surveys = new Map(model.surveys.map((s) => [s.id, s]));
    assert.ok(model.touchpoints.length >= 30, `demo has ${model.touchpoints.length} touchpoints, want >= 30`);
    for (const t of model.touchpoints) {
      assert.equal(typeof t.id, 'string');
      assert.ok(journeys.has(t.journey), `touchpoint ${t.id}: journey ${t.journey} unknown`);
      assert.ok(Array.isArray(t.units) && t.units.length > 0, `touchpoint ${t.id}: units`);
      for (const u of t.units) assert.ok(unitIds.has(u), `touchpoint ${t.id}: unit ${u} unknown`);
      assert.ok(surveys.has(t.survey), `touchpoint ${t.id}: survey ${t.survey} unknown`);
      assert.ok(Array.isArray(t.channels) && t.channels.length > 0, `touchpoint ${t.id}: channels`);
    }

    for (const s of model.surveys) {
      assert.ok(Array.isArray(s.questions) && s.questions.length > 0, `survey ${s.id} questions`);
      const keys = new Set();
      for (const q of s.questions) {
        assert.equal(typeof q.key, 'string');
        assert.ok(!keys.has(q.key), `survey ${s.id}: duplicate key ${q.key}`);
        keys.add(q.key);
        assert.equal(typeof q.type, 'string');
        for (const l of LANGS) assert.ok(q.text?.[l], `survey ${s.id} question ${q.key}: no ${l} text`);
        if (q.type === 'single_choice' || q.type === 'multi_choice') {
          assert.ok(q.options?.length > 0, `${s.id}.${q.key}: options`);
        }
      }
    }
    assert.ok(model.surveys.some((s) => s.questions.some((q) => q.type === 'nps')), 'a survey has an NPS question');
    assert.ok(model.surveys.some((s) => s.audience === 'child'), 'a children\'s survey');
    assert.ok(model.surveys.some((s) => s.audience === 'relative'), 'a relatives\' survey');
  });

  test('GET /api/v1/touchpoints lists the model\'s touchpoints', async () => {
    const r = await ctx.srv.api('GET', '/api/v1/touchpoints');
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.ok(Array.isArray(r.body.items));
    assert.deepEqual(r.body.items.map((t) => t.id).sort(), model.touchpoints.map((t) => t.id).sort());
    for (const t of r.body.items) {
      for (const k of ['id', 'journey', 'units', 'survey', 'channels']) assert.ok(k in t, `touchpoint lacks ${k}`);
    }
  });

  test('unknown API route -> 404 problem+json', async () => {
    const r = await ctx.srv.api('GET', '/api/v1/no-such-thing', { token: admin });
    assertProblem(r, 404, 'unknown route');
  });
});

describe('POST /api/v1/responses', () => {
  test('201 on first submission, 200 duplicate with the same id on the same key', async () => {
    const tp = touchpointFor(model, 'web');
    const survey = surveyOf(model, tp);
    const dupMarker = 'api-dup-' + newKey();
    const first = await apiSubmit(ctx.srv, integration, tp, survey, { marker: dupMarker });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.duplicate, false);
    assert.ok(first.body.id !== undefined && first.body.id !== null);
    const again = await apiSubmit(ctx.srv, integration, tp, survey, { key: first.key, marker: dupMarker });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.duplicate, true);
    assert.equal(String(again.body.id), String(first.body.id));
    // The same key with different content is not a retry: 409 conflict, nothing stored.
    const other = await apiSubmit(ctx.srv, integration, tp, survey, { key: first.key, marker: 'different text' });
    assert.equal(other.status, 409, other.text);
    assert.equal(other.body.type, 'urn:kaiku:problem:conflict');
    assert.match(other.body.detail, /submission_key/);

    const items = await allResponses(ctx.srv, admin, { touchpoint: tp.id });
    const mine = items.filter((i) => String(i.id) === String(first.body.id));
    assert.equal(mine.length, 1);
    const it = mine[0];
    assert.equal(it.touchpoint, tp.id);
    assert.ok(tp.units.includes(it.unit) || tp.units.length === 0, `unit ${it.unit}`);
    assert.equal(it.survey, survey.id);
    assert.equal(it.channel, first.sent.channel);
    assert.equal(it.language, 'fi');
    assert.equal(it.respondent, 'self');
    assert.equal(it.model_version, model.version);
    assert.ok(!Number.isNaN(Date.parse(it.answered_at)), `answered_at ${it.answered_at}`);
    assert.equal(answersMatch(it.answers, first.answers), null);
    const ot = openTextQuestion(survey);
    assert.notEqual(it.answers[ot.key], 'different text', 'the duplicate overwrote the first answer');
  });

  test('every language and respondent value round-trips', async () => {
    const tp = touchpointFor(model, 'web');
    const survey = surveyOf(model, tp);
    const ids = [];
    for (const language of LANGS) {
      const r = await apiSubmit(ctx.srv, integration, tp, survey, { language, extra: { respondent: 'on_behalf' } });
      assert.equal(r.status, 201, r.text);
      ids.push([String(r.body.id), language]);
    }
    const items = await allResponses(ctx.srv, admin, { touchpoint: tp.id });
    for (const [id, language] of ids) {
      const it = items.find((i) => String(i.id) === id);
      assert.ok(it, `response ${id} missing`);
      assert.equal(it.language, language);
      assert.equal(it.respondent, 'on_behalf');
    }
  });

  test('admin may submit too', async () => {
    const tp = touchpointFor(model, 'web');
    const r = await apiSubmit(ctx.srv, admin, tp, surveyOf(model, tp));
    assert.equal(r.status, 201, r.text);
  });

  test('errors are application/problem+json', async () => {
    const tp = touchpointFor(model, 'web');
    const survey = surveyOf(model, tp);
    const good = () => ({
      touchpoint: tp.id, unit: tp.units[0], channel: tp.channels.includes('web') ? 'web' : tp.channels[0], language: 'fi',
      submission_key: newKey(), answers: { [survey.questions.find((q) => q.type === 'nps')?.key ?? 'nps']: 9 },
    });
    const post = (body, opts = {}) => ctx.srv.api('POST', '/api/v1/responses', { token: integration, body, ...opts });

    assertProblem(await post(undefined, { rawBody: '{"touchpoint": ' }), 400, 'truncated JSON');
    assertProblem(await post(undefined, { rawBody: 'not json at all' }), 400, 'not JSON');
    assertProblem(await post(undefined, { rawBody: '[1,2,3]' }), [400, 422], 'JSON array body');
    assertProblem(await post({ ...good(), surprise: 1 }), [400, 422], 'unknown top-level field');
    assertProblem(await post({ ...good(), answers: { no_such_question: 3 } }), [400, 422], 'unknown answer key');
    const npsKey = survey.questions.find((q) => q.type === 'nps')?.key;
    if (npsKey) {
      assertProblem(await post({ ...good(), answers: { [npsKey]: 'ten' } }), [400, 422], 'nps as a word');
      assertProblem(await post({ ...good(), answers: { [npsKey]: 11 } }), [400, 422], 'nps 11');
      assertProblem(await post({ ...good(), answers: { [npsKey]: -1 } }), [400, 422], 'nps -1');
      assertProblem(await post({ ...good(), answers: { [npsKey]: 7.5 } }), [400, 422], 'nps 7.5');
    }
    assertProblem(await post({ ...good(), answers: 'all good' }), [400, 422], 'answers as a string');
    assertProblem(await post({ ...good(), touchpoint: 42 }), [400, 422], 'touchpoint as a number');
    assertProblem(await post({ ...good(), language: 'de' }), [400, 422], 'language de');
    assertProblem(await post({ ...good(), channel: 'carrier-pigeon' }), [400, 422], 'unknown channel');
    assertProblem(await post({ ...good(), submission_key: 'short' }), [400, 422], 'short submission key');
    assertProblem(await post({ ...good(), submission_key: 'x'.repeat(30) + '!!' }), [400, 422], 'key with bad characters');
    const { submission_key: _omit, ...noKey } = good();
    assertProblem(await post(noKey), [400, 422], 'missing submission_key');
    assertProblem(await post({ ...good(), touchpoint: 'no-such-touchpoint' }), [404, 422], 'unknown touchpoint');
    assertProblem(await post({ ...good(), unit: countyUnit(model).id === tp.units[0] ? 'no-such-unit' : countyUnit(model).id }),
      [400, 422], 'unit not of the touchpoint');
    assertProblem(await ctx.srv.api('POST', '/api/v1/responses', { body: good() }), 401, 'no token');
    assertProblem(await ctx.srv.api('POST', '/api/v1/responses', { body: good(), token: 'garbage-token' }), 401, 'bad token');
    const r = await ctx.srv.api('GET', '/api/v1/responses');
    assertProblem(r, 401, 'GET responses without token');
    assert.match(r.headers.get('www-authenticate') ?? '', /Bearer/i, '401 carries WWW-Authenticate: Bearer');
  });

  test('a channel the touchpoint does not measure through -> 422', async () => {
    const all = ['web', 'qr', 'kiosk', 'sms', 'tablet', 'paper', 'phone'];
    const tp = model.touchpoints.find((t) => all.some((c) => !t.channels.includes(c)));
    const missing = all.filter((c) => !tp.channels.includes(c));
    for (const channel of missing) {
      const r = await apiSubmit(ctx.srv, integration, tp, surveyOf(model, tp), { channel });
      assertProblem(r, [400, 422], `touchpoint ${tp.id} (channels ${tp.channels}) answered through ${channel}`);
    }
  });

  test('a problem never stores anything', async () => {
    const tp = touchpointFor(model, 'web');
    const before = (await allResponses(ctx.srv, admin, { touchpoint: tp.id })).length;
    const bad = await ctx.srv.api('POST', '/api/v1/responses', {
      token: integration,
      body: { touchpoint: tp.id, unit: tp.units[0], channel: 'web', language: 'fi', submission_key: newKey(), answers: { no_such: 1 } },
    });
    assert.ok(bad.status >= 400 && bad.status < 500, bad.text);
    const after = (await allResponses(ctx.srv, admin, { touchpoint: tp.id })).length;
    assert.equal(after, before);
  });
});

describe('GET /api/v1/responses paging and filters', () => {
  test('cursor paging returns every response exactly once, in id order', async () => {
    const tp = touchpointFor(model, 'web');
    const survey = surveyOf(model, tp);
    for (let i = 0; i < 7; i++) {
      const r = await apiSubmit(ctx.srv, integration, tp, survey);
      assert.equal(r.status, 201, r.text);
    }
    const everything = await allResponses(ctx.srv, admin, { touchpoint: tp.id });
    assert.ok(everything.length >= 7);
    const paged = [];
    let cursor = null;
    let pages = 0;
    do {
      const q = new URLSearchParams({ touchpoint: tp.id, limit: '3' });
      if (cursor) q.set('cursor', cursor);
      const r = await ctx.srv.api('GET', `/api/v1/responses?${q}`, { token: admin });
      assert.equal(r.status, 200, r.text);
      assert.ok(r.body.items.length <= 3, `page of ${r.body.items.length} > limit 3`);
      assert.ok('next_cursor' in r.body);
      paged.push(...r.body.items);
      cursor = r.body.next_cursor;
      pages++;
      assert.ok(pages < 1000, 'paging does not end');
    } while (cursor);
    assert.ok(pages >= 3);
    const ids = paged.map((i) => String(i.id));
    assert.equal(new Set(ids).size, ids.length, 'a response appeared on two pages');
    assert.deepEqual(ids.sort(), everything.map((i) => String(i.id)).sort());
    const nums = paged.map((i) => Number(i.id));
    if (nums.every((n) => !Number.isNaN(n))) {
      for (let i = 1; i < nums.length; i++) assert.ok(nums[i] > nums[i - 1], 'ids ascend');
    }
  });

  test('filters by touchpoint and channel', async () => {
    const tp = touchpointFor(model, 'web');
    const other = model.touchpoints.find((t) => t.id !== tp.id && t.channels.includes('web'));
    const r1 = await apiSubmit(ctx.srv, integration, other, surveyOf(model, other));
    assert.equal(r1.status, 201, r1.text);
    const only = await allResponses(ctx.srv, admin, { touchpoint: tp.id });
    assert.ok(only.every((i) => i.touchpoint === tp.id));
    const web = await allResponses(ctx.srv, admin, { channel: 'web' });
    assert.ok(web.length > 0 && web.every((i) => i.channel === 'web'));
    const none = await allResponses(ctx.srv, admin, { channel: 'paper' });
    assert.ok(none.every((i) => i.channel === 'paper'));
    const future = await allResponses(ctx.srv, admin, { from: '2999-01-01T00:00:00Z' });
    assert.equal(future.length, 0, 'from= in the far future returns nothing');
    const past = await allResponses(ctx.srv, admin, { to: '2000-01-01T00:00:00Z' });
    assert.equal(past.length, 0, 'to= in the far past returns nothing');
  });

  test('from is inclusive, to is exclusive, by answered_at', async () => {
    const tp = touchpointFor(model, 'web');
    const r = await apiSubmit(ctx.srv, integration, tp, surveyOf(model, tp));
    assert.equal(r.status, 201, r.text);
    const it = (await allResponses(ctx.srv, admin, { touchpoint: tp.id })).find((i) => String(i.id) === String(r.body.id));
    const at = it.answered_at;
    assert.match(at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, `answered_at ${at} is not RFC 3339`);
    const ids = async (q) => (await allResponses(ctx.srv, admin, { touchpoint: tp.id, ...q })).map((i) => String(i.id));
    assert.ok((await ids({ from: at })).includes(String(r.body.id)), `from=${at} excludes the response answered at ${at}`);
    assert.ok(!(await ids({ to: at })).includes(String(r.body.id)), `to=${at} includes the response answered at ${at}`);
    const later = new Date(Date.parse(at) + 1).toISOString();
    assert.ok((await ids({ to: later })).includes(String(r.body.id)));
    assert.ok(!(await ids({ from: later })).includes(String(r.body.id)));
    // The same instant with an offset.
    const d = new Date(Date.parse(at));
    const pad = (n, w = 2) => String(n).padStart(w, '0');
    const local = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad((d.getUTCHours() + 2) % 24)}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+02:00`;
    if ((d.getUTCHours() + 2) < 24) {
      const q = await ctx.srv.api('GET', `/api/v1/responses?touchpoint=${tp.id}&from=${encodeURIComponent(local)}&limit=1000`, { token: admin });
      if (q.status === 200) assert.ok(q.body.items.some((i) => String(i.id) === String(r.body.id)), `from=${local} (same instant, +02:00) excludes it`);
      else assertProblem(q, 400, 'from with an offset');
    }
  });

  test('bad query parameters -> 400 problem', async () => {
    for (const q of ['limit=abc', 'limit=0', 'limit=-5', 'cursor=garbage!', 'from=yesterday', 'channel=carrier-pigeon']) {
      const r = await ctx.srv.api('GET', `/api/v1/responses?${q}`, { token: admin });
      assertProblem(r, 400, q);
    }
    // Over the maximum: refused, or clamped to 1000.
    const big = await ctx.srv.api('GET', '/api/v1/responses?limit=100000', { token: admin });
    if (big.status === 200) assert.ok(big.body.items.length <= 1000);
    else assertProblem(big, 400, 'limit=100000');
  });
});

describe('answer values round-trip exactly', () => {
  test('"cant_say", multi choice and Unicode text', async () => {
    const tp = touchpointFor(model, 'web');
    const survey = surveyOf(model, tp);
    const ot = openTextQuestion(survey);
    const textValue = `Åsa & Jörö: “hyvä” – 😀 e\u0301 \u2028rivi\n toinen\ttab ${newKey()}`;
    const r = await apiSubmit(ctx.srv, integration, tp, survey, { marker: textValue });
    assert.equal(r.status, 201, r.text);
    const answers = { ...r.answers };
    const agreement = survey.questions.find((q) => q.type === 'agreement');
    if (agreement) {
      answers[agreement.key] = 'cant_say';
      const r2 = await ctx.srv.api('POST', '/api/v1/responses', { token: integration, body: { ...r.sent, submission_key: newKey(), answers } });
      assert.equal(r2.status, 201, r2.text);
      const it2 = (await allResponses(ctx.srv, admin, { touchpoint: tp.id })).find((i) => String(i.id) === String(r2.body.id));
      assert.equal(it2.answers[agreement.key], 'cant_say');
    }
    const it = (await allResponses(ctx.srv, admin, { touchpoint: tp.id })).find((i) => String(i.id) === String(r.body.id));
    assert.equal(it.answers[ot.key], textValue, 'open text changed on the way');
    assert.equal(typeof it.answers[survey.questions.find((q) => q.type === 'nps').key], 'number');
  });

  test('a NUL character is refused or kept, never truncates the text', async () => {
    const tp = touchpointFor(model, 'web');
    const survey = surveyOf(model, tp);
    const ot = openTextQuestion(survey);
    const value = `before\u0000after ${newKey()}`;
    const r = await apiSubmit(ctx.srv, integration, tp, survey, { marker: value });
    if (r.status === 201) {
      const it = (await allResponses(ctx.srv, admin, { touchpoint: tp.id })).find((i) => String(i.id) === String(r.body.id));
      assert.equal(it.answers[ot.key], value, 'text with NUL stored differently');
    } else {
      assertProblem(r, [400, 422], 'NUL in text');
    }
  });

  test('max_length counts characters, not bytes', async () => {
    const tp = touchpointFor(model, 'web');
    const survey = surveyOf(model, tp);
    const ot = openTextQuestion(survey);
    const max = ot.max_length ?? 2000;
    const ok = await apiSubmit(ctx.srv, integration, tp, survey, { marker: 'ä'.repeat(max) });
    assert.equal(ok.status, 201, `${max} × "ä" (${2 * max} bytes) refused: ${ok.text.slice(0, 300)}`);
    const tooLong = await apiSubmit(ctx.srv, integration, tp, survey, { marker: 'a'.repeat(max + 1) });
    assertProblem(tooLong, [400, 422], 'max_length + 1');
  });

  test('choice answers are checked', async () => {
    const s = model.surveys.find((x) => x.questions.some((q) => q.type === 'single_choice' || q.type === 'multi_choice'));
    if (!s) return;
    const tp = model.touchpoints.find((t) => t.survey === s.id);
    if (!tp) return;
    const q = s.questions.find((x) => x.type === 'single_choice' || x.type === 'multi_choice');
    const base = await apiSubmit(ctx.srv, integration, tp, s);
    assert.equal(base.status, 201, base.text);
    const bad = [
      'no-such-option',
      ['no-such-option'],
      q.type === 'single_choice' ? [q.options[0].key, q.options[1]?.key ?? q.options[0].key] : 7,
      { key: q.options[0].key },
    ];
    for (const v of bad) {
      const r = await ctx.srv.api('POST', '/api/v1/responses', {
        token: integration, body: { ...base.sent, submission_key: newKey(), answers: { ...base.answers, [q.key]: v } },
      });
      assertProblem(r, [400, 422], `${q.type} ${q.key} = ${JSON.stringify(v)}`);
    }
  });

  test('GET /api/v1/responses/{id}: the Location of a submission, scoped, 404 outside the scope', async () => {
    const tp = touchpointFor(model, 'web');
    const created = await apiSubmit(ctx.srv, integration, tp, surveyOf(model, tp), { marker: 'get-one-' + newKey() });
    assert.equal(created.status, 201, created.text);
    const location = created.headers.get('location');
    assert.equal(location, `/api/v1/responses/${created.body.id}`);
    const one = await ctx.srv.api('GET', location, { token: admin });
    assert.equal(one.status, 200, one.text);
    assert.equal(String(one.body.id), String(created.body.id));
    assert.equal(one.body.unit, created.sent.unit);
    assert.ok(!('invitation' in one.body), 'a response names its invitation');
    // A unit manager elsewhere: 404, exactly like an unknown id.
    const elsewhere = model.units.find((u) => u.parent && u.id !== created.sent.unit
      && !model.units.some((c) => c.parent === u.id) && u.id !== tp.units[0]);
    const manager = await ctx.srv.token('unit_manager', elsewhere.id);
    const outside = await ctx.srv.api('GET', location, { token: manager });
    assertProblem(outside, [404], 'a response outside the scope');
    const missing = await ctx.srv.api('GET', '/api/v1/responses/999999999', { token: manager });
    assertProblem(missing, [404], 'an unknown response');
    assert.equal(outside.body.title, missing.body.title);
    assertProblem(await ctx.srv.api('GET', location), [401], 'no token');
    assertProblem(await ctx.srv.api('GET', location, { token: integration }), [403], 'integration may not read');
  });

  test('a member name repeated in the JSON body -> 400 naming it', async () => {
    const tp = touchpointFor(model, 'web');
    const base = await apiSubmit(ctx.srv, integration, tp, surveyOf(model, tp), { marker: 'dupkey-' + newKey() });
    const raw = JSON.stringify({ ...base.sent, submission_key: newKey() }).replace(/^\{/, `{"language":"sv",`);
    const r = await ctx.srv.api('POST', '/api/v1/responses', { token: integration, rawBody: raw });
    assertProblem(r, [400, 422], 'duplicate member');
    assert.match(r.body.detail, /language/);
  });

  test('an unknown touchpoint is 422 invalid_input (type, title and status agree)', async () => {
    const r = await ctx.srv.api('POST', '/api/v1/responses', {
      token: integration,
      body: { touchpoint: 'no-such-touchpoint', channel: 'api', language: 'fi', submission_key: newKey(), answers: {} },
    });
    assertProblem(r, [422], 'unknown touchpoint');
    assert.equal(r.body.type, 'urn:kaiku:problem:invalid_input');
  });

  test('a wrong method on a respondent page is an HTML 405 page; on the API a problem', async () => {
    const page = await ctx.srv.fetch('/saavutettavuus', { method: 'DELETE' });
    assert.equal(page.status, 405);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.ok(page.headers.get('allow'));
    await page.arrayBuffer();
    const api = await ctx.srv.api('DELETE', '/api/v1/model');
    assertProblem(api, [405], 'DELETE /api/v1/model');
  });
});

