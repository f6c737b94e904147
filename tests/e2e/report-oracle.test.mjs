// The reporting engine against an independent oracle: `kaiku gen` writes 20,000
// synthetic responses for the demo model, `kaiku export --format jsonl` reads
// them back, tests/lib/report_oracle.mjs computes NPS, top-two-box and positive
// shares per group in JavaScript, and every row of GET /api/v1/reports/indicators
// must agree (n exactly, value within 1e-9), with nothing below the threshold
// shown and no line of a table with exactly one hidden cell. Then: CSV, the
// adaptive period, the export cursor, and a restart (snapshot + catch-up, and a
// corrupted snapshot) giving the same reports.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { MODEL, runKaiku, startServer } from '../lib/server.mjs';
import { apiSubmit } from '../lib/flows.mjs';
import { areas, childrenOf, countyUnit, leafUnits, loadModel, surveyOf } from '../lib/model.mjs';
import { checkTable, oracle, parentMap, queryString, responsesFromExport } from '../lib/report_oracle.mjs';

const SEED = 424242;
const RESPONSES = 20000;
const FROM = '2025-01-01';
const TO = '2025-12-31';

let dataDir;
let srv;
let model;
let parents;
let responses;
let analyst;
let exportCursor;
const totals = { shown: 0, hidden: 0, tables: 0 };

async function exportJsonl(since) {
  const args = ['export', '--data', dataDir, '--format', 'jsonl'];
  if (since !== undefined) args.push('--since', String(since));
  const r = await runKaiku(args, { timeoutMs: 300000 });
  assert.equal(r.code, 0, r.stderr);
  const m = /next_cursor=(\d+)/.exec(r.stderr);
  assert.ok(m, `no next_cursor in: ${r.stderr}`);
  return { text: r.stdout, cursor: Number(m[1]) };
}

before(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kaiku-report-'));
  const gen = await runKaiku(['gen', '--data', dataDir, '--responses', String(RESPONSES), '--seed', String(SEED),
    '--from', FROM, '--to', TO, '--model', MODEL], { timeoutMs: 300000 });
  assert.equal(gen.code, 0, gen.stdout + gen.stderr);
  assert.match(gen.stdout, new RegExp(`stored ${RESPONSES} new responses`));
  const exp = await exportJsonl();
  exportCursor = exp.cursor;
  responses = responsesFromExport(exp.text);
  srv = await startServer({ dataDir });
  model = await loadModel(srv);
  parents = parentMap(model);
  analyst = await srv.token('analyst');
});

after(async () => {
  try {
    if (srv) await srv.stop();
  } finally {
    if (srv) await srv.cleanup();
    if (!process.env.KAIKU_KEEP_DATA && dataDir) await rm(dataDir, { recursive: true, force: true });
  }
});

async function api(q, extra = {}) {
  const r = await srv.api('GET', `/api/v1/reports/indicators?${queryString(q, extra)}`, { token: analyst });
  assert.equal(r.status, 200, `${queryString(q, extra)}: ${r.text.slice(0, 500)}`);
  return r.body;
}

async function compare(q, opts) {
  const table = await api(q);
  const groups = oracle(responses, parents, q, opts);
  const what = `${opts.kind} ${queryString(q)}`;
  const s = checkTable(table, groups, q, { ...opts, what });
  totals.shown += s.shown;
  totals.hidden += s.hidden;
  totals.tables += 1;
  return { table, groups, stats: s };
}

// The area with the most children, and a question key of each scale type.
function biggestArea() {
  return areas(model).sort((a, b) => childrenOf(model, b.id).length - childrenOf(model, a.id).length)[0].id;
}
function questionOfType(type) {
  for (const s of model.surveys) {
    const q = s.questions.find((x) => x.type === type);
    if (q) return q.key;
  }
  return null;
}

describe('kaiku gen and export', () => {
  test('gen is idempotent: the same seed stores nothing new', async () => {
    const again = await runKaiku(['gen', '--data', dataDir, '--responses', String(RESPONSES), '--seed', String(SEED),
      '--from', FROM, '--to', TO], { timeoutMs: 300000 });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /stored 0 new responses \(20000 already present\)/);
  });

  test('bad arguments exit 1 with a message', async () => {
    for (const [args, re] of [
      [['gen', '--data', dataDir, '--responses', '5', '--seed', '1', '--from', '2025-02-30'], /--from/],
      [['gen', '--data', dataDir, '--responses', '5', '--seed', '1', '--from', '2025-03-01', '--to', '2025-02-01'], /--from/],
      [['export', '--data', dataDir, '--format', 'xml'], /--format/],
      [['export', '--data', dataDir, '--format', 'csv', '--since', '-5'], /--since/],
    ]) {
      const r = await runKaiku(args);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, re);
    }
  });

  test('the export has the documented columns and no free text or identifiers', async () => {
    assert.equal(exportCursor, RESPONSES, 'the cursor is the last response id');
    const { text } = await exportJsonl(RESPONSES - 3);
    const rows = text.trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(rows.length >= 3);
    for (const row of rows) {
      assert.deepEqual(Object.keys(row).sort(), ['age_group', 'answered_at', 'channel', 'journey_id', 'language',
        'question_key', 'question_type', 'respondent', 'response_id', 'survey_id', 'touchpoint_id', 'unit_id',
        'value'].sort());
      assert.ok(row.response_id > RESPONSES - 3);
      // To the minute (privacy): seconds :00, no fraction, with the Helsinki offset.
      assert.match(row.answered_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+0[23]:00$/);
      assert.notEqual(row.question_type, 'open_text');
    }
    assert.ok(responses.length > RESPONSES * 0.9, `${responses.length} responses in the export`);
    const types = new Set(responses.flatMap((r) => Object.values(r.types)));
    assert.ok(!types.has('open_text') && !types.has('contact_request'), [...types].join(','));
  });
});

describe('indicators equal the oracle', () => {
  test('NPS in many groupings', async () => {
    const county = countyUnit(model).id;
    const area = biggestArea();
    const base = { indicator: 'nps', from: FROM, to: TO };
    const tp = model.touchpoints.find((t) => t.channels.includes('sms'));
    // The leaf unit with the most answers (a unit without children).
    const counts = new Map();
    for (const r of responses) counts.set(r.unit, (counts.get(r.unit) ?? 0) + 1);
    const leaves = leafUnits(model).map((u) => u.id).sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
    const leaf = leaves[0];
    const queries = [
      { ...base, unit: leaf },
      { ...base, unit: leaf, group_by: ['unit'] },
      { ...base, unit: leaf, group_by: ['month'] },
      { ...base, unit: county },
      { ...base, unit: county, group_by: ['unit'] },
      { ...base, unit: area, group_by: ['unit'] },
      { ...base, unit: county, group_by: ['month'] },
      { ...base, unit: county, group_by: ['channel'] },
      { ...base, unit: county, group_by: ['language'] },
      { ...base, unit: county, group_by: ['age_group'] },
      { ...base, unit: county, group_by: ['respondent'] },
      { ...base, unit: county, group_by: ['journey'] },
      { ...base, unit: county, group_by: ['quarter'] },
      { ...base, unit: county, group_by: ['unit', 'month'] },
      { ...base, unit: area, group_by: ['unit', 'month'] },
      { ...base, unit: area, group_by: ['touchpoint'] },
      { ...base, unit: county, group_by: ['touchpoint', 'channel'] },
      { ...base, unit: area, group_by: ['unit', 'channel'] },
      { ...base, unit: county, group_by: ['age_group', 'language'] },
      { ...base, unit: area, from: '2025-03-01', to: '2025-04-30', group_by: ['week'] },
      { ...base, unit: area, from: '2025-06-01', to: '2025-06-30', group_by: ['day'] },
      { ...base, unit: county, group_by: ['unit'], filters: { channel: ['sms'], language: ['fi', 'sv'] } },
      { ...base, unit: county, group_by: ['month'], filters: { journey: [tp.journey], age_group: ['65_74', '75_plus'] } },
      { ...base, unit: area, group_by: ['channel'], filters: { touchpoint: [tp.id], respondent: ['self'] } },
      { ...base, unit: county, from: '2025-12-01', to: '2025-12-31', group_by: ['unit', 'language'] },
    ];
    for (const q of queries) await compare(q, { kind: 'nps' });
  });

  test('top-two box of an agreement statement', async () => {
    const key = questionOfType('agreement');
    assert.ok(key, 'the demo model has an agreement statement');
    const county = countyUnit(model).id;
    const base = { indicator: key, from: FROM, to: TO };
    for (const q of [
      { ...base, unit: county, group_by: ['unit'] },
      { ...base, unit: biggestArea(), group_by: ['month'] },
      { ...base, unit: county, group_by: ['channel', 'quarter'] },
    ]) {
      const { table } = await compare(q, { kind: 'top_two_box', positive: [4, 5] });
      assert.equal(table.kind, 'top_two_box');
    }
  });

  test('positive share of a smiley question', async () => {
    const county = countyUnit(model).id;
    for (const [type, positive] of [['smiley5', [4, 5]], ['smiley3', [3, 3]]]) {
      const key = questionOfType(type);
      if (!key) continue;
      const { table } = await compare({ indicator: key, unit: county, from: FROM, to: TO, group_by: ['unit'] },
        { kind: 'positive_share', positive });
      assert.equal(table.kind, 'positive_share');
    }
  });

  test('comparisons with the previous period and a year earlier', async () => {
    const county = countyUnit(model).id;
    let checked = 0;
    for (const q of [
      { indicator: 'nps', unit: county, from: '2025-07-01', to: '2025-09-30' },
      { indicator: 'nps', unit: biggestArea(), from: '2025-11-01', to: '2025-12-31', group_by: ['channel'] },
      { indicator: 'nps', unit: county, from: '2025-04-01', to: '2025-12-31', group_by: ['month'] },
    ]) {
      const table = await api(q, { compare: true });
      checkTable(table, oracle(responses, parents, q, { kind: 'nps' }), q, { kind: 'nps', what: `compare ${queryString(q)}` });
      for (const row of table.rows) {
        if (row.suppressed) {
          assert.ok(!('previous' in row) && !('year_ago' in row), 'a hidden cell compares nothing');
          continue;
        }
        for (const which of ['previous', 'year_ago']) {
          const c = row[which];
          assert.ok(c, `${which} missing: ${JSON.stringify(row)}`);
          // The same group over the earlier period, from the oracle.
          const groupOnly = (q.group_by ?? []).filter((d) => d !== 'month');
          const earlier = { ...q, from: c.from, to: c.to, group_by: groupOnly };
          const key = groupOnly.map((d) => row.group[d]).join('|');
          const o = oracle(responses, parents, earlier, { kind: 'nps' }).get(key);
          if (c.suppressed) {
            assert.equal(c.n, null);
            assert.equal(c.value, null);
            assert.equal(c.change, null);
            continue;
          }
          assert.ok(o, `${which} of ${JSON.stringify(row.group)} has no answers in the export`);
          assert.equal(c.n, o.n, `${which} n`);
          assert.ok(Math.abs(c.value - o.value) <= 1e-9, `${which} value ${c.value} vs ${o.value}`);
          assert.ok(Math.abs(c.change - (row.value - o.value)) <= 1e-9, `${which} change`);
          assert.equal(typeof c.significant, 'boolean');
          checked += 1;
        }
      }
    }
    assert.ok(checked >= 5, `${checked} comparisons checked`);
  });

  test('the comparisons exercised both shown and suppressed cells', () => {
    assert.ok(totals.tables >= 25, `${totals.tables} tables`);
    assert.ok(totals.shown > 100, `${totals.shown} shown cells`);
    assert.ok(totals.hidden > 10, `${totals.hidden} suppressed cells`);
  });
});

describe('other forms of the same figures', () => {
  test('CSV with Accept: text/csv equals the JSON rows', async () => {
    const q = { indicator: 'nps', unit: countyUnit(model).id, from: FROM, to: TO, group_by: ['unit', 'quarter'] };
    const json = await api(q);
    const res = await srv.fetch(`/api/v1/reports/indicators?${queryString(q)}`,
      { headers: { authorization: `Bearer ${analyst}`, accept: 'text/csv' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (await res.text()).split('\r\n').filter(Boolean);
    const head = lines[0].split(',');
    assert.deepEqual(head.slice(0, 9), ['unit', 'quarter', 'n', 'value', 'ci_low', 'ci_high', 'suppressed', 'reason', 'note']);
    assert.equal(lines.length - 1, json.rows.length);
    json.rows.forEach((row, i) => {
      const cells = lines[i + 1].split(',');
      const col = (name) => cells[head.indexOf(name)];
      assert.equal(col('unit'), row.group.unit);
      assert.equal(col('quarter'), row.group.quarter);
      assert.equal(col('suppressed'), String(row.suppressed));
      if (row.suppressed) {
        for (const name of ['n', 'value', 'ci_low', 'ci_high', 'promoters', 'detractors']) assert.equal(col(name), '', name);
        assert.equal(col('note'), row.note);
      } else {
        assert.equal(Number(col('n')), row.n);
        assert.ok(Math.abs(Number(col('value')) - row.value) <= 1e-9);
      }
    });
  });

  test('adaptive period: a low-volume cell is widened backwards and says so', async () => {
    // A unit and month with 1-4 answers whose earlier months bring it to the threshold.
    const months = [];
    for (let m = 12; m >= 4; m--) months.push(m);
    let found = null;
    for (const u of model.units) {
      for (const m of months) {
        const from = `2025-${String(m).padStart(2, '0')}-01`;
        const to = new Date(Date.UTC(2025, m, 0)).toISOString().slice(0, 10);
        const q = { indicator: 'nps', unit: u.id, from, to };
        const now = oracle(responses, parents, q, { kind: 'nps' }).get('');
        if (!now || now.n >= 5) continue;
        const before = oracle(responses, parents, { ...q, from: '2025-01-01' }, { kind: 'nps' }).get('');
        if (before && before.n >= 5) {
          found = q;
          break;
        }
      }
      if (found) break;
    }
    assert.ok(found, 'the generated data has a low-volume unit');
    const plain = await api(found);
    assert.equal(plain.rows.length, 1);
    assert.equal(plain.rows[0].suppressed, true, 'without adaptive the cell is hidden');
    const wide = await api(found, { adaptive: true });
    assert.equal(wide.rows.length, 1);
    const row = wide.rows[0];
    assert.equal(row.suppressed, false, JSON.stringify(row));
    assert.equal(row.period.widened, true);
    assert.equal(row.period.to, found.to);
    assert.ok(row.period.from < found.from, `widened from ${row.period.from}`);
    const o = oracle(responses, parents, { ...found, from: row.period.from }, { kind: 'nps' }).get('');
    assert.equal(row.n, o.n, 'n over the widened period');
    assert.ok(Math.abs(row.value - o.value) <= 1e-9);
    assert.ok(o.n >= 5);
  });
});

describe('freshness and restarts', () => {
  const probes = () => {
    const county = countyUnit(model).id;
    return [
      { indicator: 'nps', unit: county, from: FROM, to: TO, group_by: ['unit', 'month'] },
      { indicator: 'nps', unit: biggestArea(), from: '2025-01-01', to: '2026-12-31', group_by: ['channel'] },
      { indicator: questionOfType('agreement'), unit: county, from: FROM, to: TO, group_by: ['age_group'] },
    ];
  };
  const snapshotAll = async () => Promise.all(probes().map((q) => api(q)));
  // The one snapshot in the data directory: analytics-<the database's instance id>.snapshot.
  const snapshotFile = async () => {
    const names = (await readdir(dataDir)).filter((f) => /^analytics-[0-9a-f]{32}\.snapshot$/.test(f));
    assert.equal(names.length, 1, `snapshots: ${names.join(',')}`);
    return path.join(dataDir, names[0]);
  };

  test('the export cursor is incremental', async () => {
    const integration = await srv.token('integration');
    const tp = model.touchpoints.find((t) => t.channels.includes('api') || t.channels.includes('web'));
    const survey = surveyOf(model, tp);
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const r = await apiSubmit(srv, integration, tp, survey, { channel: tp.channels.includes('api') ? 'api' : 'web' });
      assert.equal(r.status, 201, r.text);
      ids.push(r.body.id);
    }
    const next = await exportJsonl(exportCursor);
    const rows = next.text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    assert.deepEqual([...new Set(rows.map((r) => r.response_id))].sort((a, b) => a - b), ids);
    assert.equal(next.cursor, Math.max(...ids));
    assert.ok(!next.text.includes('hyvästä palvelusta'), 'open text exported');
    const none = await exportJsonl(next.cursor);
    assert.equal(none.text, '');
    assert.equal(none.cursor, next.cursor);
  });

  test('a restart gives the same reports (snapshot, then catch-up)', async () => {
    const before = await snapshotAll();
    await srv.stop();
    const snap = await snapshotFile();
    assert.ok((await stat(snap)).size > 0, 'a snapshot was saved at shutdown');
    await srv.restart();
    assert.match(srv.output, /snapshot .* loaded/);
    assert.deepEqual(await snapshotAll(), before);
  });

  test('a corrupted snapshot is ignored and rebuilt from storage', async () => {
    const before = await snapshotAll();
    await srv.stop();
    const snap = await snapshotFile();
    const bytes = await readFile(snap);
    for (let i = Math.floor(bytes.length / 2); i < Math.min(bytes.length, Math.floor(bytes.length / 2) + 64); i++) {
      bytes[i] ^= 0x5a;
    }
    await writeFile(snap, bytes);
    const mark = srv.output.length;
    await srv.restart();
    assert.match(srv.output.slice(mark), /ignoring the snapshot/);
    assert.deepEqual(await snapshotAll(), before);
    // Truncated to a few bytes: the same.
    await srv.stop();
    await writeFile(snap, Buffer.from('KAIKU'));
    const mark2 = srv.output.length;
    await srv.restart();
    assert.match(srv.output.slice(mark2), /ignoring the snapshot/);
    assert.deepEqual(await snapshotAll(), before);
  });
});

describe('other writers', () => {
  test('rows stored by `kaiku gen` while the server runs reach the reports within seconds', async () => {
    const county = countyUnit(model).id;
    const q = { indicator: 'nps', unit: county, from: FROM, to: TO };
    const before = (await api(q)).rows[0].n;
    const cursor = (await exportJsonl(0)).cursor;
    const gen = await runKaiku(['gen', '--data', dataDir, '--responses', '300', '--seed', String(SEED + 1),
      '--from', FROM, '--to', TO], { timeoutMs: 300000 });
    assert.equal(gen.code, 0, gen.stderr);
    assert.match(gen.stdout, /stored 300 new responses/);
    const added = responsesFromExport((await exportJsonl(cursor)).text);
    const more = oracle(added, parents, q, { kind: 'nps' }).get('')?.n ?? 0;
    assert.ok(more > 0);
    const deadline = Date.now() + 30000;
    let n = before;
    while (Date.now() < deadline) {
      n = (await api(q)).rows[0].n;
      if (n === before + more) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(n, before + more, 'the server polls storage for rows written by other processes');
  });
});
