// Exports, the org tree and the audit log on the real binary: an .xlsx export
// opens with exceljs and has the JSON report's numbers (suppressed cells empty,
// with the note); CSV and Excel exports are audited; GET /api/v1/audit is for
// admins only, filters and pages; GET /api/v1/org shows the caller's subtree.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';

import { MODEL, addUser, issueToken, runKaiku, startServer } from '../lib/server.mjs';
import { assertProblem } from '../lib/checks.mjs';
import { areas, childrenOf, countyUnit, loadModel, subtreeIds } from '../lib/model.mjs';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let dataDir;
let srv;
let model;
const tokens = {};

// A day in Europe/Helsinki, YYYY-MM-DD, `offset` days from today.
function day(offset = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(Date.now() + offset * 86400000));
}

before(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kaiku-export-'));
  const gen = await runKaiku(['gen', '--data', dataDir, '--model', MODEL, '--responses', '3000', '--seed', '11',
    '--from', day(-60), '--to', day(-1)], { timeoutMs: 300000 });
  assert.equal(gen.code, 0, gen.stdout + gen.stderr);
  srv = await startServer({ dataDir });
  model = await loadModel(srv);
  const area = areas(model).find((a) => childrenOf(model, a.id).length >= 2) ?? areas(model)[0];
  for (const [login, role, unit] of [['ex_admin', 'admin'], ['ex_analyst', 'analyst'],
    ['ex_director', 'director', countyUnit(model).id], ['ex_manager', 'unit_manager', area.id]]) {
    await addUser(dataDir, { login, role, unit });
    tokens[login] = await issueToken(dataDir, login);
  }
  tokens.area = area.id;
});

after(async () => {
  try {
    if (srv) await srv.stop();
  } finally {
    if (srv) await srv.cleanup();
    if (!process.env.KAIKU_KEEP_DATA && dataDir) await rm(dataDir, { recursive: true, force: true });
  }
});

async function download(token, params, accept) {
  const headers = { authorization: `Bearer ${token}` };
  if (accept) headers.accept = accept;
  const res = await srv.fetch(`/api/v1/reports/indicators?${new URLSearchParams(params)}`, { headers });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function report(token, params) {
  const r = await srv.api('GET', `/api/v1/reports/indicators?${new URLSearchParams(params)}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

// The worksheet as arrays of cell values (row 1 first; empty cells null).
async function sheetRows(bytes) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes);
  assert.equal(wb.worksheets.length, 1);
  const ws = wb.worksheets[0];
  const width = ws.getRow(2).cellCount;
  const rows = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const out = [];
    for (let c = 1; c <= width; c++) {
      const v = row.getCell(c).value;
      out.push(v === undefined || v === '' ? null : v);
    }
    rows.push(out);
  }
  return rows;
}

// A figure of the sheet against the JSON's: libxlsxwriter writes numbers with 16
// significant digits (Excel shows 15), so equal to 1e-12 relative.
function assertNear(got, want, what) {
  if (want === null || want === undefined) {
    assert.equal(got, null, what);
    return;
  }
  assert.equal(typeof got, 'number', `${what}: ${got} is a number`);
  assert.ok(Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${what}: ${got} vs ${want}`);
}

// Checks every row of the sheet against the JSON report of the same query.
function assertSameAsJson(rows, json, what) {
  const [title, head, ...data] = rows;
  assert.match(String(title[0]), new RegExp(`^${json.indicator} · .*\\(${json.unit}\\) · ${json.from} – ${json.to}`), what);
  const col = (name) => {
    const i = head.indexOf(name);
    assert.ok(i >= 0, `${what}: no column ${name} in ${head}`);
    return i;
  };
  assert.deepEqual(head.slice(0, json.group_by.length), json.group_by, `${what}: group columns first`);
  assert.equal(data.length, json.rows.length, `${what}: one line per row`);
  let hidden = 0;
  json.rows.forEach((row, i) => {
    const line = data[i];
    json.group_by.forEach((d, k) => assert.equal(line[k], row.group[d], `${what}: row ${i} ${d}`));
    assert.equal(line[col('suppressed')], row.suppressed, `${what}: row ${i} suppressed`);
    if (row.suppressed) {
      hidden++;
      for (const f of ['n', 'value', 'ci_low', 'ci_high']) assert.equal(line[col(f)], null, `${what}: row ${i} hidden ${f}`);
      assert.equal(line[col('note')], row.note, `${what}: row ${i} note`);
      assert.equal(line[col('reason')], row.reason);
      return;
    }
    assert.equal(line[col('n')], row.n, `${what}: row ${i} n`);
    for (const f of ['value', 'ci_low', 'ci_high', 'target']) assertNear(line[col(f)], row[f], `${what}: row ${i} ${f}`);
    if (json.kind === 'nps') {
      for (const f of ['promoters', 'passives', 'detractors']) assert.equal(line[col(f)], row[f], `${what}: row ${i} ${f}`);
    }
    for (const [ch, share] of Object.entries(row.channel_mix ?? {})) assertNear(line[col(`mix_${ch}`)], share, `mix_${ch}`);
    if (row.previous) {
      assert.equal(line[col('previous_n')], row.previous.n ?? null, `${what}: row ${i} previous_n`);
      assertNear(line[col('previous_value')], row.previous.value, 'previous_value');
      assertNear(line[col('previous_change')], row.previous.change, 'previous_change');
    }
  });
  return hidden;
}

describe('Excel export', () => {
  test('format=xlsx and the Accept type give a workbook with the JSON report\'s numbers', async () => {
    const params = { indicator: 'nps', group_by: 'unit', compare: 'true' };
    const json = await report(tokens.ex_director, params);
    assert.ok(json.rows.length >= 2, JSON.stringify(json).slice(0, 300));
    for (const [p, accept] of [[{ ...params, format: 'xlsx' }, undefined], [params, XLSX]]) {
      const { res, bytes } = await download(tokens.ex_director, p, accept);
      assert.equal(res.status, 200, bytes.toString().slice(0, 300));
      assert.equal(res.headers.get('content-type'), XLSX);
      assert.match(res.headers.get('content-disposition'),
        new RegExp(`^attachment; filename="kaiku-nps-${json.unit}-${json.from}-${json.to}\\.xlsx"$`));
      assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
      assertSameAsJson(await sheetRows(bytes), json, 'unit table');
    }
  });

  test('suppressed cells are empty in the workbook, with their note', async () => {
    const params = { indicator: 'nps', group_by: 'touchpoint,channel', from: day(-7), to: day(-1) };
    const json = await report(tokens.ex_analyst, params);
    assert.ok(json.rows.some((r) => r.suppressed), 'the query has suppressed cells');
    assert.ok(json.rows.some((r) => !r.suppressed), 'and shown ones');
    const { res, bytes } = await download(tokens.ex_analyst, { ...params, format: 'xlsx' });
    assert.equal(res.status, 200);
    const hidden = assertSameAsJson(await sheetRows(bytes), json, 'touchpoint x channel');
    assert.ok(hidden > 0);
    const { bytes: csv } = await download(tokens.ex_analyst, { ...params, format: 'csv' });
    assert.equal(csv.toString('utf8').split('\r\n')[0], (await sheetRows(bytes))[1].join(','), 'the CSV\'s columns');
  });

  test('a share indicator and a bad format', async () => {
    const key = model.surveys.flatMap((s) => s.questions).find((q) => q.type === 'agreement').key;
    const params = { indicator: key, group_by: 'month', from: day(-59), to: day(-1) };
    const json = await report(tokens.ex_analyst, params);
    const { bytes } = await download(tokens.ex_analyst, { ...params, format: 'xlsx' });
    const rows = await sheetRows(bytes);
    assertSameAsJson(rows, json, 'statement by month');
    const mean = rows[1].indexOf('mean');
    json.rows.filter((r) => !r.suppressed).forEach((r) => {
      assertNear(rows[2 + json.rows.indexOf(r)][mean], r.mean, 'mean');
    });
    const bad = await srv.api('GET', '/api/v1/reports/indicators?format=xls', { token: tokens.ex_analyst });
    assertProblem(bad, 400, 'format=xls');
    assert.equal(bad.body.errors[0].field, 'format');
  });
});

describe('audit', () => {
  test('CSV and Excel exports are audited with the query; JSON reads are not', async () => {
    const since = new Date(Date.now() - 1).toISOString();
    const q = `indicator=responses&group_by=channel&format=csv`;
    const csv = await srv.fetch(`/api/v1/reports/indicators?${q}`, { headers: { authorization: `Bearer ${tokens.ex_analyst}` } });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    assert.match(csv.headers.get('content-disposition'), /^attachment; filename="kaiku-responses-.*\.csv"$/);
    const lines = (await csv.text()).trim().split('\r\n');
    const viaAccept = await srv.fetch('/api/v1/reports/indicators?indicator=responses',
      { headers: { authorization: `Bearer ${tokens.ex_analyst}`, accept: 'text/csv' } });
    assert.equal(viaAccept.status, 200);
    await viaAccept.text();

    const r = await srv.api('GET', `/api/v1/audit?login=ex_analyst&action=export.csv&from=${since}`, { token: tokens.ex_admin });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.entries.length, 2, r.text);
    const [latest, first] = r.body.entries;
    assert.equal(latest.object, 'indicator=responses');
    assert.equal(first.object, q);
    assert.equal(first.count, lines.length - 1, 'count = rows exported');
    assert.equal(first.login, 'ex_analyst');
    assert.ok(!Number.isNaN(Date.parse(first.at)));
    const x = await srv.api('GET', '/api/v1/audit?action=export.xlsx', { token: tokens.ex_admin });
    assert.ok(x.body.entries.length >= 3, x.text);
    assert.ok(x.body.entries.every((e) => e.action === 'export.xlsx'));
    assert.ok(x.body.entries.some((e) => e.login === 'ex_director' && e.object.includes('format=xlsx')));
    assert.ok(x.body.entries.some((e) => e.login === 'ex_director' && !e.object.includes('format=')), 'Accept-based export');
  });

  test('admins only; a unit manager gets 403', async () => {
    for (const login of ['ex_manager', 'ex_director', 'ex_analyst']) {
      assertProblem(await srv.api('GET', '/api/v1/audit', { token: tokens[login] }), 403, login);
    }
    assertProblem(await srv.api('GET', '/api/v1/audit'), 401, 'no token');
    const denied = await srv.api('GET', '/api/v1/audit?action=audit.read.denied&login=ex_manager', { token: tokens.ex_admin });
    assert.equal(denied.body.entries.length, 1, denied.text);
  });

  test('filters, cursor paging, and the read itself audited', async () => {
    const all = await srv.api('GET', '/api/v1/audit?limit=1000', { token: tokens.ex_admin });
    assert.equal(all.status, 200);
    assert.equal(all.body.next_cursor, null);
    const ids = all.body.entries.map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
    // Page by 2 through the same entries.
    const paged = [];
    let cursor = null;
    for (let i = 0; i < 100; i++) {
      const r = await srv.api('GET', `/api/v1/audit?limit=2&to=${day(1)}${cursor ? `&cursor=${cursor}` : ''}`, { token: tokens.ex_admin });
      assert.equal(r.status, 200, r.text);
      paged.push(...r.body.entries.map((e) => e.id).filter((id) => id <= ids[0]));
      cursor = r.body.next_cursor;
      if (!cursor) break;
    }
    assert.deepEqual(paged, ids);
    const reads = await srv.api('GET', '/api/v1/audit?action=audit.read&login=ex_admin', { token: tokens.ex_admin });
    assert.ok(reads.body.entries.length >= 2 + paged.length / 2, reads.text);
    const future = await srv.api('GET', `/api/v1/audit?from=${day(2)}`, { token: tokens.ex_admin });
    assert.deepEqual(future.body.entries, []);
    for (const bad of ['limit=0', 'cursor=x', 'from=soon', 'action=A', 'nope=1']) {
      const r = await srv.api('GET', `/api/v1/audit?${bad}`, { token: tokens.ex_admin });
      assertProblem(r, 400, bad);
      assert.equal(r.body.errors?.[0]?.field, bad.split('=')[0]);
    }
  });
});

describe('org tree', () => {
  test('a unit manager sees only their subtree; a director the whole county', async () => {
    const r = await srv.api('GET', '/api/v1/org', { token: tokens.ex_manager });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.root, tokens.area);
    const want = subtreeIds(model, tokens.area);
    assert.deepEqual(new Set(r.body.units.map((u) => u.id)), want);
    const root = r.body.units.find((u) => u.id === tokens.area);
    assert.equal(root.parent, null);
    assert.equal(root.level, 1);
    assert.deepEqual(root.children, childrenOf(model, tokens.area).map((u) => u.id));
    assert.equal(typeof root.name.fi, 'string');
    for (const u of r.body.units) if (u.id !== tokens.area) assert.ok(want.has(u.parent));

    const d = await srv.api('GET', '/api/v1/org', { token: tokens.ex_director });
    assert.equal(d.body.root, countyUnit(model).id);
    assert.equal(d.body.units.length, model.units.length);
    assertProblem(await srv.api('GET', '/api/v1/org'), 401, 'no token');
  });
});
