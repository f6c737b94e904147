// The reporting engine's snapshot belongs to one database, and `kaiku export`
// reads only a database that exists.
//
// - kaiku.db replaced by another database (another instance id) while the
//   snapshot stays: the old snapshot is removed and not used; the reports equal
//   an independent computation over the new database's export.
// - kaiku.db restored from an older backup of the same database (same instance
//   id), with new responses stored after the restore that reuse ids the snapshot
//   has seen: the snapshot is discarded (it is ahead of the database) and the
//   reports again equal the independent computation.
// - `kaiku export --data <typo>` fails with exit code 1 and a message, creating
//   nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { MODEL, runKaiku, startServer } from '../lib/server.mjs';
import { countyUnit, loadModel } from '../lib/model.mjs';
import { checkTable, oracle, parentMap, queryString, responsesFromExport } from '../lib/report_oracle.mjs';

const FROM = '2025-01-01';
const TO = '2025-12-31';
const DB_FILES = ['kaiku.db', 'kaiku.db-wal', 'kaiku.db-shm'];
const SNAPSHOT = /^analytics-[0-9a-f]{32}\.snapshot$/;

let root;
let srv;

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kaiku-report-data-'));
});

after(async () => {
  try {
    if (srv) await srv.stop();
  } finally {
    if (srv) await srv.cleanup();
    if (!process.env.KAIKU_KEEP_DATA && root) await rm(root, { recursive: true, force: true });
  }
});

async function gen(dataDir, responses, seed) {
  const r = await runKaiku(['gen', '--data', dataDir, '--responses', String(responses), '--seed', String(seed),
    '--from', FROM, '--to', TO, '--model', MODEL], { timeoutMs: 300000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`stored ${responses} new responses`));
}

async function exported(dataDir) {
  const r = await runKaiku(['export', '--data', dataDir, '--format', 'jsonl'], { timeoutMs: 300000 });
  assert.equal(r.code, 0, r.stderr);
  return responsesFromExport(r.stdout);
}

// Copies the database files of `from` over those of `to` (no process has them open).
async function copyDatabase(from, to) {
  await mkdir(to, { recursive: true });
  for (const f of DB_FILES) await rm(path.join(to, f), { force: true });
  for (const f of DB_FILES) {
    if (existsSync(path.join(from, f))) await copyFile(path.join(from, f), path.join(to, f));
  }
}

async function snapshots(dataDir) {
  return (await readdir(dataDir)).filter((f) => f.startsWith('analytics'));
}

const probes = (model) => {
  const county = countyUnit(model).id;
  return [
    { indicator: 'nps', unit: county, from: FROM, to: TO, group_by: ['unit', 'quarter'] },
    { indicator: 'nps', unit: county, from: FROM, to: TO, group_by: ['channel'] },
    { indicator: 'nps', unit: county, from: FROM, to: TO },
  ];
};

// The probes' tables from the running server (a new analyst user: a replaced
// database has none of the old users).
async function reports() {
  srv.tokens = new Map();
  const token = await srv.token('analyst');
  const model = await loadModel(srv);
  const tables = [];
  for (const q of probes(model)) {
    const r = await srv.api('GET', `/api/v1/reports/indicators?${queryString(q)}`, { token });
    assert.equal(r.status, 200, r.text);
    tables.push(r.body);
  }
  return { model, tables };
}

// Every probe equals the independent computation from the database's export.
async function assertFresh(dataDir, { model, tables }, what) {
  const responses = await exported(dataDir);
  const parents = parentMap(model);
  probes(model).forEach((q, i) => {
    checkTable(tables[i], oracle(responses, parents, q, { kind: 'nps' }), q,
      { kind: 'nps', what: `${what}: ${queryString(q)}` });
  });
  const total = tables[2].rows[0];
  assert.equal(total.n, oracle(responses, parents, probes(model)[2], { kind: 'nps' }).get('').n, `${what}: total n`);
}

describe('the snapshot belongs to its database', () => {
  test('kaiku.db replaced by another database: the old snapshot is dropped, reports are fresh', async () => {
    const dataDir = path.join(root, 'data');
    const other = path.join(root, 'other');
    await gen(dataDir, 1500, 11);
    await gen(other, 1500, 22); // the same ids 1..1500, other answers
    srv = await startServer({ dataDir });
    const first = await reports();
    await assertFresh(dataDir, first, 'first database');
    await srv.stop();
    const saved = await snapshots(dataDir);
    assert.equal(saved.length, 1, saved.join(','));
    assert.match(saved[0], SNAPSHOT);
    assert.ok((await stat(path.join(dataDir, saved[0]))).size > 0);

    await copyDatabase(other, dataDir);
    const mark = srv.output.length;
    await srv.restart();
    const log = srv.output.slice(mark);
    assert.match(log, /removed .*analytics-[0-9a-f]{32}\.snapshot, the snapshot of another database/, log);
    assert.doesNotMatch(log, /snapshot .* loaded/, log);
    const second = await reports();
    assert.notDeepEqual(second.tables, first.tables, 'the other database has other answers');
    await assertFresh(dataDir, second, 'replaced database');
    await srv.stop();
    const now = await snapshots(dataDir);
    assert.equal(now.length, 1, now.join(','));
    assert.notEqual(now[0], saved[0], 'the new database has its own snapshot');
  });

  test('kaiku.db restored from an older backup: the snapshot ahead of it is discarded', async () => {
    const dataDir = path.join(root, 'data');
    const backup = path.join(root, 'backup');
    // The server is stopped: back up the database of 1500 responses.
    await copyDatabase(dataDir, backup);
    // 500 more (ids 1501..2000) reach the snapshot.
    await gen(dataDir, 500, 33);
    let mark = srv.output.length;
    await srv.restart();
    assert.match(srv.output.slice(mark), /snapshot .* loaded/);
    const ahead = await reports();
    assert.equal(ahead.tables[2].rows[0].n > 0, true);
    await srv.stop();
    const [snap] = await snapshots(dataDir);

    // Restore the backup (same instance id), then store other answers under ids
    // 1501..1700, which the snapshot has seen with other content.
    await copyDatabase(backup, dataDir);
    await gen(dataDir, 200, 44);
    assert.deepEqual(await snapshots(dataDir), [snap], 'the same database: the same snapshot file');
    mark = srv.output.length;
    await srv.restart();
    const log = srv.output.slice(mark);
    assert.match(log, /discarding the snapshot .*no response 2000/, log);
    const restored = await reports();
    await assertFresh(dataDir, restored, 'restored database');
    // And the snapshot saved now fits the database: the next start loads it.
    const before = restored.tables;
    await srv.stop();
    mark = srv.output.length;
    await srv.restart();
    assert.match(srv.output.slice(mark), /snapshot .* loaded/);
    assert.deepEqual((await reports()).tables, before);
  });
});

describe('kaiku export reads an existing database only', () => {
  test('a mistyped --data fails with a message and creates nothing', async () => {
    const typo = path.join(root, 'no-such-dir', 'data');
    for (const format of ['csv', 'jsonl']) {
      const r = await runKaiku(['export', '--data', typo, '--format', format]);
      assert.equal(r.code, 1, `${format}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stdout, '', 'no header, no rows');
      assert.match(r.stderr, /kaiku export: --data: no Kaiku database at .*no-such-dir\/data\/kaiku\.db/);
      assert.ok(!existsSync(path.join(root, 'no-such-dir')), 'no directory is created');
    }
    // --out is not created either.
    const out = path.join(root, 'lake.csv');
    const r = await runKaiku(['export', '--data', typo, '--format', 'csv', '--out', out]);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(!existsSync(out) && !existsSync(`${out}.partial`));
  });

  test('an existing directory without a database is not given one', async () => {
    const empty = path.join(root, 'empty');
    await mkdir(empty);
    const r = await runKaiku(['export', '--data', empty, '--format', 'csv']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /no Kaiku database at/);
    assert.deepEqual(await readdir(empty), []);
  });
});
