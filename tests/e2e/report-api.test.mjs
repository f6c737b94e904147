// GET /api/v1/reports/indicators on a live server: scope, bad parameters, the
// response rate of invitations (created through the API, some answered through
// /i/{token}), and answers from the web form reaching the report at once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from '../lib/server.mjs';
import { assertProblem } from '../lib/checks.mjs';
import { answerSurvey, apiSubmit, getPage, surveyFields } from '../lib/flows.mjs';
import { postFormTo } from '../lib/html.mjs';
import { areas, childrenOf, countyUnit, loadModel, subtreeIds, surveyOf } from '../lib/model.mjs';

let model;
let integration;
let director;
const ctx = useServer({ before, after }, async (srv) => {
  model = await loadModel(srv);
  integration = await srv.token('integration');
  director = await srv.token('director', countyUnit(model).id);
});

// Today in Europe/Helsinki, YYYY-MM-DD (the server's calendar).
function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date());
}

function report(token, params) {
  return ctx.srv.api('GET', `/api/v1/reports/indicators?${new URLSearchParams(params)}`, { token });
}

const hasNps = (tp) => surveyOf(model, tp).questions.some((q) => q.type === 'nps');

// An area with at least two children, and one of its children that itself has units below.
function scopedArea() {
  return areas(model).find((a) => childrenOf(model, a.id).length >= 2) ?? areas(model)[0];
}

describe('scope', () => {
  test('a unit manager sees its own subtree only', async () => {
    const area = scopedArea();
    const inside = new Set(subtreeIds(model, area.id));
    // Answers inside and outside the area, enough to show.
    const tpIn = model.touchpoints.find((t) => hasNps(t) && inside.has(t.units[0]));
    const tpOut = model.touchpoints.find((t) => hasNps(t) && !inside.has(t.units[0]));
    assert.ok(tpIn && tpOut, 'touchpoints inside and outside the area');
    for (const tp of [tpIn, tpOut]) {
      for (let i = 0; i < 6; i++) {
        const r = await apiSubmit(ctx.srv, integration, tp, surveyOf(model, tp));
        assert.equal(r.status, 201, r.text);
      }
    }
    const manager = await ctx.srv.token('unit_manager', area.id);
    assertProblem(await report(manager, { unit: countyUnit(model).id }), 403, 'the county');
    const other = areas(model).find((a) => a.id !== area.id);
    assertProblem(await report(manager, { unit: other.id }), 403, 'another area');
    const own = await report(manager, { group_by: 'unit' });
    assert.equal(own.status, 200, own.text);
    assert.equal(own.body.unit, area.id, 'the default unit is the scope');
    assert.ok(own.body.rows.length >= 1);
    for (const row of own.body.rows) {
      assert.ok(inside.has(row.group.unit), `row for ${row.group.unit} outside the scope`);
    }
    const child = childrenOf(model, area.id)[0];
    const below = await report(manager, { unit: child.id });
    assert.equal(below.status, 200, below.text);
    assert.equal(below.body.unit, child.id);
    // The director of the county sees both.
    const all = await report(director, { group_by: 'unit' });
    assert.equal(all.status, 200);
    assert.equal(all.body.unit, countyUnit(model).id);
  });

  test('tokens and roles', async () => {
    assertProblem(await report(null, {}), 401, 'no token');
    assertProblem(await report('not-a-real-token-aaaaaaaaaaaaaaaaaaaaa', {}), 401, 'bad token');
    assertProblem(await report(integration, {}), 403, 'integration');
    for (const role of ['admin', 'cx_specialist', 'analyst']) {
      const r = await report(await ctx.srv.token(role), {});
      assert.equal(r.status, 200, `${role}: ${r.text}`);
    }
  });
});

describe('bad parameters', () => {
  test('each -> 400 problem+json naming the parameter', async () => {
    const cases = [
      [{ indicator: 'no_such_question' }, 'indicator'],
      [{ indicator: 'bad key!' }, 'indicator'],
      [{ from: '2026-02-30' }, 'from'],
      [{ to: '24.11.2026' }, 'to'],
      [{ from: '2026-05-02', to: '2026-05-01' }, 'from'],
      [{ unit: 'no-such-unit' }, 'unit'],
      [{ journey: 'no-such-journey' }, 'journey'],
      [{ touchpoint: 'no-such-touchpoint' }, 'touchpoint'],
      [{ channel: 'pigeon' }, 'channel'],
      [{ language: 'de' }, 'language'],
      [{ age_group: '40' }, 'age_group'],
      [{ respondent: 'robot' }, 'respondent'],
      [{ group_by: 'unit,month,channel' }, 'group_by'],
      [{ group_by: 'month,month' }, 'group_by'],
      [{ group_by: 'colour' }, 'group_by'],
      [{ group_by: 'unit,' }, 'group_by'],
      [{ adaptive: 'maybe' }, 'adaptive'],
      [{ standardise: 'yes' }, 'standardise'],
      [{ compare: '1' }, 'compare'],
      [{ limit: '10' }, 'limit'],
    ];
    for (const [params, name] of cases) {
      const r = await report(director, params);
      assertProblem(r, 400, JSON.stringify(params));
      assert.equal(r.body.errors?.[0]?.field, name, `${JSON.stringify(params)}: ${r.text}`);
      assert.ok(r.body.detail.startsWith(`${name}:`), r.text);
    }
  });
});

describe('response rate', () => {
  test('invitations sent through the API, some answered through /i/{token}', async () => {
    // A touchpoint whose unit no other test here answers for.
    const tp = [...model.touchpoints].reverse().find((t) => t.channels.includes('sms') && hasNps(t) && t.units.length === 1);
    const unit = tp.units[0];
    const tokens = [];
    for (let i = 0; i < 8; i++) {
      const r = await ctx.srv.api('POST', '/api/v1/invitations', {
        token: integration,
        body: { touchpoint: tp.id, channel: 'sms', language: 'fi', ttl_hours: 48, age_group: '75_plus' },
      });
      assert.equal(r.status, 201, r.text);
      tokens.push(r.body.url);
    }
    const survey = surveyOf(model, tp);
    for (const url of tokens.slice(0, 3)) {
      const page = await getPage(ctx.srv, url);
      assert.equal(page.res.status, 200);
      const res = await postFormTo(ctx.srv.url + url, surveyFields(page.form, survey, {}));
      assert.equal(res.status, 303);
    }
    const day = today();
    const r = await report(director, { indicator: 'response_rate', unit, from: day, to: day });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.kind, 'response_rate');
    assert.equal(r.body.rows.length, 1, r.text);
    const row = r.body.rows[0];
    assert.equal(row.suppressed, false, r.text);
    assert.equal(row.n, 8);
    assert.equal(row.answered, 3);
    assert.ok(Math.abs(row.value - 37.5) <= 1e-9, `value ${row.value}`);
    const byAge = await report(director, { indicator: 'response_rate', unit, from: day, to: day, group_by: 'age_group' });
    assert.equal(byAge.status, 200, byAge.text);
    assert.deepEqual(byAge.body.rows.map((x) => [x.group.age_group, x.n]), [['75_plus', 8]]);
  });
});

describe('freshness', () => {
  test('answers from the web form show in the report at once', async () => {
    const day = today();
    // A web touchpoint whose unit has no answers yet today.
    let tp = null;
    for (const t of model.touchpoints.filter((x) => x.channels.includes('web') && hasNps(x) && x.units.length === 1)) {
      const r = await report(director, { unit: t.units[0], from: day, to: day });
      assert.equal(r.status, 200, r.text);
      if (r.body.rows.length === 0) {
        tp = t;
        break;
      }
    }
    assert.ok(tp, 'a web touchpoint with an NPS question and no answers today');
    const params = { unit: tp.units[0], from: day, to: day };
    const survey = surveyOf(model, tp);
    for (let i = 0; i < 5; i++) {
      const { res } = await answerSurvey(ctx.srv, tp, survey, { lang: 'fi' });
      assert.equal(res.status, 303);
    }
    const five = await report(director, params);
    assert.equal(five.body.rows.length, 1, five.text);
    assert.equal(five.body.rows[0].suppressed, false, five.text);
    assert.equal(five.body.rows[0].n, 5);
    const { res } = await answerSurvey(ctx.srv, tp, survey, { lang: 'sv' });
    assert.equal(res.status, 303);
    const six = await report(director, { ...params, group_by: 'language' });
    const total = six.body.rows.reduce((s, x) => s + (x.n ?? 0), 0);
    const all = await report(director, params);
    assert.equal(all.body.rows[0].n, 6, 'the sixth answer counts at once');
    assert.ok(total <= 6);
    // fi has 5, sv has 1: sv is hidden, and fi with it (or the total would give sv away).
    for (const row of six.body.rows) assert.equal(row.suppressed, true, six.text);
  });
});
