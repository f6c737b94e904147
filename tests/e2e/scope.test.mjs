// Every scope rule of GET /api/v1/responses: who sees which part of the org tree,
// whatever the query says.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { useServer } from '../lib/server.mjs';
import { assertProblem } from '../lib/checks.mjs';
import { allResponses, apiSubmit } from '../lib/flows.mjs';
import { areas, countyUnit, loadModel, newKey, subtreeIds, surveyOf } from '../lib/model.mjs';

let model;
let tokens = {};
// Three placements: U (the unit manager's unit), V (same area, outside U), W (another area).
let place = {};
const ids = { U: [], V: [], W: [] };
const ctx = useServer({ before, after }, async () => {
  model = await loadModel(ctx.srv);
  const county = countyUnit(model).id;
  // (touchpoint, unit) pairs where a response can be filed below an area.
  const pairs = [];
  for (const t of model.touchpoints) {
    for (const u of t.units) {
      const a = areaOf(u);
      if (a && a !== u) pairs.push({ tp: t, unit: u, area: a });
    }
  }
  assert.ok(pairs.length > 0, 'no touchpoint below a service area');
  let found = null;
  for (const p of pairs) {
    const under = subtreeIds(model, p.unit);
    const v = pairs.find((q) => q.area === p.area && !under.has(q.unit) && !subtreeIds(model, q.unit).has(p.unit));
    const w = pairs.find((q) => q.area !== p.area);
    if (v && w) {
      found = { U: p, V: v, W: w };
      break;
    }
  }
  assert.ok(found, 'demo model needs two units in one area and one in another, each with a touchpoint');
  place = found;

  tokens.integration = await ctx.srv.token('integration');
  tokens.admin = await ctx.srv.token('admin');
  tokens.cx = await ctx.srv.token('cx_specialist');
  tokens.analyst = await ctx.srv.token('analyst');
  tokens.analystArea = await ctx.srv.token('analyst', place.W.area);
  tokens.manager = await ctx.srv.token('unit_manager', place.U.unit);
  tokens.director = await ctx.srv.token('director', place.U.area);
  tokens.directorCounty = await ctx.srv.token('director', county);

  for (const which of ['U', 'V', 'W']) {
    const { tp, unit } = place[which];
    for (let i = 0; i < 2; i++) {
      const r = await apiSubmit(ctx.srv, tokens.integration, tp, surveyOf(model, tp), {
        marker: `scope-${which}-${i}-${newKey()}`, extra: { unit },
      });
      assert.equal(r.status, 201, `submitting to ${tp.id}/${unit}: ${r.text}`);
      ids[which].push(String(r.body.id));
    }
  }
});

// The area (child of the county) that contains `unit`.
function areaOf(unit) {
  const areaIds = new Set(areas(model).map((a) => a.id));
  let u = model.units.find((x) => x.id === unit);
  while (u && !areaIds.has(u.id)) u = model.units.find((x) => x.id === u.parent);
  return u?.id;
}


function idsOf(items) {
  return new Set(items.map((i) => String(i.id)));
}

describe('scope of GET /api/v1/responses', () => {
  test('admin, cx_specialist, analyst and a county director see everything', async () => {
    for (const who of ['admin', 'cx', 'analyst', 'directorCounty']) {
      const seen = idsOf(await allResponses(ctx.srv, tokens[who]));
      for (const id of [...ids.U, ...ids.V, ...ids.W]) assert.ok(seen.has(id), `${who} does not see response ${id}`);
    }
  });

  test('a unit manager sees only their own subtree without a filter', async () => {
    const items = await allResponses(ctx.srv, tokens.manager);
    const allowed = subtreeIds(model, place.U.unit);
    for (const it of items) assert.ok(allowed.has(it.unit), `unit manager of ${place.U.unit} sees a response of ${it.unit}`);
    const seen = idsOf(items);
    for (const id of ids.U) assert.ok(seen.has(id), `unit manager misses own response ${id}`);
    for (const id of [...ids.V, ...ids.W]) assert.ok(!seen.has(id), `unit manager sees foreign response ${id}`);
  });

  test('a unit manager asking for another unit, the area or the county -> 403', async () => {
    for (const unit of [place.V.unit, place.W.unit, place.U.area, countyUnit(model).id]) {
      const r = await ctx.srv.api('GET', `/api/v1/responses?unit=${encodeURIComponent(unit)}`, { token: tokens.manager });
      assertProblem(r, 403, `unit manager of ${place.U.unit} asking unit=${unit}`);
    }
  });

  test('a unit manager asking for an unknown unit gets no data', async () => {
    const r = await ctx.srv.api('GET', '/api/v1/responses?unit=no-such-unit', { token: tokens.manager });
    assert.ok([400, 403, 404].includes(r.status), `unit=no-such-unit -> ${r.status}`);
  });

  test('a unit manager filtering by own unit gets own data', async () => {
    const items = await allResponses(ctx.srv, tokens.manager, { unit: place.U.unit });
    const seen = idsOf(items);
    for (const id of ids.U) assert.ok(seen.has(id));
  });

  test('other filters never widen a unit manager\'s scope', async () => {
    const queries = [
      { touchpoint: place.V.tp.id },
      { touchpoint: place.W.tp.id },
      { channel: 'web' },
      { from: '2000-01-01T00:00:00Z' },
    ];
    for (const q of queries) {
      const qs = new URLSearchParams(q);
      const r = await ctx.srv.api('GET', `/api/v1/responses?${qs}`, { token: tokens.manager });
      if (r.status === 403) continue; // refusing is fine too
      assert.equal(r.status, 200, `${qs}: ${r.text}`);
      for (const it of r.body.items) {
        assert.ok(subtreeIds(model, place.U.unit).has(it.unit), `${qs}: unit manager sees ${it.unit}`);
      }
    }
    // Repeated and odd-cased parameters.
    for (const qs of [`unit=${place.U.unit}&unit=${place.W.unit}`, `unit=${place.W.unit}&unit=${place.U.unit}`,
      `UNIT=${place.W.unit}`, `unit=${place.W.unit.toUpperCase()}`, `unit=${place.U.unit}%00${place.W.unit}`,
      `unit=${encodeURIComponent(place.U.unit + ' ')}`]) {
      const r = await ctx.srv.api('GET', `/api/v1/responses?${qs}`, { token: tokens.manager });
      if (r.status >= 400 && r.status < 500) continue;
      assert.equal(r.status, 200, `${qs}: ${r.status}`);
      for (const it of r.body.items) {
        assert.ok(subtreeIds(model, place.U.unit).has(it.unit), `${qs}: unit manager sees ${it.unit}`);
      }
    }
  });

  test('a cursor from a wider scope does not widen a unit manager\'s scope', async () => {
    const r = await ctx.srv.api('GET', '/api/v1/responses?limit=1', { token: tokens.admin });
    assert.equal(r.status, 200);
    if (!r.body.next_cursor) return;
    const m = await ctx.srv.api('GET', `/api/v1/responses?cursor=${encodeURIComponent(r.body.next_cursor)}`, { token: tokens.manager });
    if (m.status >= 400 && m.status < 500) return;
    assert.equal(m.status, 200);
    for (const it of m.body.items) assert.ok(subtreeIds(model, place.U.unit).has(it.unit));
  });

  test('a director sees the area\'s subtree, not other areas', async () => {
    const items = await allResponses(ctx.srv, tokens.director);
    const allowed = subtreeIds(model, place.U.area);
    for (const it of items) assert.ok(allowed.has(it.unit), `director of ${place.U.area} sees ${it.unit}`);
    const seen = idsOf(items);
    for (const id of [...ids.U, ...ids.V]) assert.ok(seen.has(id), `director misses ${id}`);
    for (const id of ids.W) assert.ok(!seen.has(id), `director sees other area's ${id}`);
    const own = await allResponses(ctx.srv, tokens.director, { unit: place.V.unit });
    assert.ok(ids.V.every((id) => idsOf(own).has(id)));
    assertProblem(await ctx.srv.api('GET', `/api/v1/responses?unit=${place.W.unit}`, { token: tokens.director }), 403, 'director, other area');
    assertProblem(await ctx.srv.api('GET', `/api/v1/responses?unit=${countyUnit(model).id}`, { token: tokens.director }), 403, 'director, county');
  });

  test('an analyst scoped to an area sees only that area', async () => {
    const items = await allResponses(ctx.srv, tokens.analystArea);
    const allowed = subtreeIds(model, place.W.area);
    for (const it of items) assert.ok(allowed.has(it.unit));
    const seen = idsOf(items);
    for (const id of ids.W) assert.ok(seen.has(id));
    for (const id of [...ids.U, ...ids.V]) assert.ok(!seen.has(id));
    for (const it of items) assert.ok(!('contact' in it) || it.contact === null, 'analyst sees contact details');
  });

  test('an integration token cannot read responses (403)', async () => {
    assertProblem(await ctx.srv.api('GET', '/api/v1/responses', { token: tokens.integration }), 403, 'integration reads');
  });

  test('staff roles other than admin cannot submit through the API (403)', async () => {
    const { tp, unit } = place.U;
    for (const who of ['manager', 'director', 'analyst']) {
      const r = await apiSubmit(ctx.srv, tokens[who], tp, surveyOf(model, tp), { extra: { unit } });
      assertProblem(r, 403, `${who} submits`);
    }
  });

  test('bad or missing tokens -> 401', async () => {
    const cases = [
      {},
      { authorization: 'Bearer' },
      { authorization: 'Bearer ' },
      { authorization: `Bearer ${tokens.admin}x` },
      { authorization: `Bearer ${tokens.admin.slice(0, -1)}` },
      { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
      { authorization: tokens.admin },
      { authorization: 'Bearer ' + 'A'.repeat(5000) },
    ];
    for (const headers of cases) {
      const r = await ctx.srv.api('GET', '/api/v1/responses', { headers });
      assertProblem(r, 401, `Authorization: ${String(headers.authorization).slice(0, 40)}`);
    }
  });

  test('reads of response data are audited', async (t) => {
    const db = path.join(ctx.srv.dataDir, 'kaiku.db');
    let tables;
    try {
      tables = execFileSync('sqlite3', [db, "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE '%audit%'"], { encoding: 'utf8' })
        .trim().split('\n').filter(Boolean);
    } catch (e) {
      t.skip(`sqlite3 not usable: ${e.message}`);
      return;
    }
    assert.ok(tables.length > 0, 'no audit table in kaiku.db');
    const count = () => Number(execFileSync('sqlite3', [db, `SELECT count(*) FROM "${tables[0]}"`], { encoding: 'utf8' }).trim());
    const before = count();
    const r = await ctx.srv.api('GET', '/api/v1/responses?limit=2', { token: tokens.manager });
    assert.equal(r.status, 200);
    const denied = await ctx.srv.api('GET', `/api/v1/responses?unit=${place.W.unit}`, { token: tokens.manager });
    assert.equal(denied.status, 403);
    const afterCount = count();
    assert.ok(afterCount >= before + 1, `audit rows ${before} -> ${afterCount} after a read`);
  });
});
