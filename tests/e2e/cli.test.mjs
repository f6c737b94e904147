// `kaiku model check PATH`: exit 0 for the demo model; exit 1 with
// `file:line:column: message` lines for broken copies of it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { MODEL, runKaiku } from '../lib/server.mjs';

const tmpDirs = [];
after(async () => {
  if (process.env.KAIKU_KEEP_DATA) return;
  for (const d of tmpDirs) await rm(d, { recursive: true, force: true });
});

// A copy of the demo model with `edits` applied: [{file, find (string|RegExp), replace}].
// Returns {dir, lines: [{file, line}]} with the 1-based line of each edit.
async function brokenModel(edits) {
  const dir = await mkdtemp(path.join(tmpdir(), 'kaiku-model-'));
  tmpDirs.push(dir);
  await cp(MODEL, dir, { recursive: true });
  const lines = [];
  for (const e of edits) {
    const file = path.join(dir, e.file);
    const src = await readFile(file, 'utf8');
    const m = typeof e.find === 'string' ? { index: src.indexOf(e.find), 0: e.find } : e.find.exec(src);
    assert.ok(m && m.index >= 0, `edit target ${e.find} not found in ${e.file} (demo model changed?)`);
    const out = src.slice(0, m.index) + (typeof e.replace === 'function' ? e.replace(m) : e.replace) + src.slice(m.index + m[0].length);
    await writeFile(file, out);
    lines.push({ file: e.file, line: src.slice(0, m.index).split('\n').length });
  }
  return { dir, lines };
}

const DIAG = /^(.+?):(\d+):(\d+): (.+)$/;

// Runs model check; returns {code, diags: [{file, line, col, msg}], out}.
async function check(p) {
  const r = await runKaiku(['model', 'check', p]);
  const out = r.stdout + r.stderr;
  const diags = out.split('\n').map((l) => DIAG.exec(l.trim())).filter(Boolean)
    .map((m) => ({ file: m[1], line: Number(m[2]), col: Number(m[3]), msg: m[4] }));
  return { code: r.code, diags, out };
}

// Asserts a diagnostic at `file` (basename) within `slack` lines after `line`, matching `re`.
function expectDiag(res, { file, line, re, slack = 3 }) {
  const hit = res.diags.find((d) => path.basename(d.file) === file && d.line >= line && d.line <= line + slack
    && (!re || re.test(d.msg)));
  assert.ok(hit, `no diagnostic ${file}:${line}${re ? ` matching ${re}` : ''}; got:\n${res.out}`);
  assert.ok(hit.col >= 1, 'column is 1-based');
  return hit;
}

describe('kaiku model check', () => {
  test('the demo model is valid (exit 0)', async () => {
    const r = await runKaiku(['model', 'check', MODEL]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(r.stdout.trim().length > 0, 'prints a summary');
  });

  test('the template library checks (with its stand-in base), and each template alone with the base', async () => {
    const tdir = path.join(path.dirname(MODEL), 'templates');
    const all = await runKaiku(['model', 'check', tdir]);
    assert.equal(all.code, 0, `model check ${tdir}:\n${all.stdout}${all.stderr}`);
    const files = (await readdir(tdir)).filter((f) => /\.ya?ml$/.test(f));
    assert.ok(files.length >= 8, `only ${files.length} templates`);
    for (const f of files) {
      const dir = await mkdtemp(path.join(tmpdir(), 'kaiku-template-'));
      tmpDirs.push(dir);
      await cp(path.join(tdir, '_base'), path.join(dir, '_base'), { recursive: true });
      await cp(path.join(tdir, f), path.join(dir, f));
      const r = await runKaiku(['model', 'check', dir]);
      assert.equal(r.code, 0, `template ${f} with _base:\n${r.stdout}${r.stderr}`);
    }
  });

  const cases = [
    {
      name: 'a typo in a key',
      edits: [{ file: 'org.yaml', find: /^(\s+)keywords:/m, replace: (m) => `${m[1]}keywrods:` }],
      re: /keywrods|unknown|unexpected/i,
    },
    {
      name: 'a dangling survey reference',
      edits: [{ file: 'touchpoints.yaml', find: /^(\s+)survey: ydinkysely$/m, replace: (m) => `${m[1]}survey: no_such_survey` }],
      re: /no_such_survey/,
    },
    {
      name: 'a dangling unit reference',
      edits: [{ file: 'touchpoints.yaml', find: 'units: [tk-merikaupunki,', replace: 'units: [tk-nowhere,' }],
      re: /tk-nowhere/,
    },
    {
      name: 'a stage that is not in the journey',
      edits: [{ file: 'touchpoints.yaml', find: /^(\s+)stage: kaynti$/m, replace: (m) => `${m[1]}stage: no_such_stage` }],
      re: /no_such_stage/,
    },
    {
      name: 'a missing Swedish translation',
      edits: [{ file: 'questions.yaml', find: /^\s+sv: Jag fick hjälp när jag behövde den\.\n/m, replace: '' }],
      line: -1, // the diagnostic points at the text block, just above the removed line
      re: /sv/,
    },
    {
      name: 'a YAML syntax error',
      edits: [{ file: 'journeys.yaml', find: /^(\s+)name: \{fi: Asiointi puhelimitse/m, replace: (m) => `${m[1]}name: {fi: [Asiointi puhelimitse` }],
      re: /./,
    },
    {
      name: 'an unknown question type',
      edits: [{ file: 'questions.yaml', find: /^(\s+)type: agreement$/m, replace: (m) => `${m[1]}type: agreemnt` }],
      re: /agreemnt/,
    },
    {
      name: 'an unknown channel',
      edits: [{ file: 'touchpoints.yaml', find: 'channels: [qr, web]', replace: 'channels: [qr, webb]' }],
      re: /webb/,
    },
    {
      name: 'a duplicate unit id',
      edits: [{ file: 'org.yaml', find: '- id: tk-koivula', replace: '- id: tk-merikaupunki' }],
      re: /tk-merikaupunki|duplicate/i,
    },
    {
      name: 'a target for an unknown unit',
      edits: [{ file: 'targets.yaml', find: '{unit: perusterveydenhuolto, indicator: nps', replace: '{unit: no_such_area, indicator: nps' }],
      re: /no_such_area/,
    },
    {
      name: 'a sample share above 1',
      edits: [{ file: 'touchpoints.yaml', find: /frequency: \{kind: sampled, share: [0-9.]+/, replace: 'frequency: {kind: sampled, share: 1.5' }],
      re: /share|1\.5/i,
    },
    {
      name: 'a kiosk question that is not a smiley scale',
      edits: [{ file: 'surveys.yaml', find: 'kiosk_question: kiosk_mood', replace: 'kiosk_question: kiosk_reason' }],
      re: /kiosk/i,
    },
    {
      name: 'an unknown language',
      edits: [{ file: 'org.yaml', find: 'languages: [fi, sv, en, fi-x-selko]', replace: 'languages: [fi, sv, en, fi-x-selko, xx]' }],
      re: /xx/,
    },
  ];

  for (const c of cases) {
    test(`${c.name} -> exit 1 with file:line:column`, async () => {
      const { dir, lines } = await brokenModel(c.edits);
      const res = await check(dir);
      assert.equal(res.code, 1, `exit ${res.code}\n${res.out}`);
      assert.ok(res.diags.length > 0, `no file:line:column lines:\n${res.out}`);
      const { file, line } = lines[0];
      const want = c.line === -1 ? line - 4 : line;
      expectDiag(res, { file, line: Math.max(1, want), re: c.re, slack: c.line === -1 ? 5 : 2 });
    });
  }

  test('several problems in several files are all reported', async () => {
    const { dir, lines } = await brokenModel([cases[0].edits[0], cases[1].edits[0], cases[6].edits[0], cases[9].edits[0]]);
    const res = await check(dir);
    assert.equal(res.code, 1);
    for (const [i, l] of lines.entries()) expectDiag(res, { ...l, re: [cases[0], cases[1], cases[6], cases[9]][i].re, slack: 2 });
  });

  test('a single broken file and a missing path', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kaiku-model-'));
    tmpDirs.push(dir);
    const f = path.join(dir, 'model.yaml');
    await writeFile(f, 'county:\n  id: x\n  name: {fi: X}\n  bogus: [\n');
    const res = await check(f);
    assert.equal(res.code, 1);
    assert.ok(res.diags.some((d) => path.basename(d.file) === 'model.yaml'), res.out);
    const missing = await runKaiku(['model', 'check', path.join(dir, 'nope.yaml')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stdout + missing.stderr, /nope\.yaml/);
  });
});

describe('kaiku user add / token issue', () => {
  let dataDir;
  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'kaiku-cli-data-'));
    tmpDirs.push(dataDir);
  });
  const add = (login, role, { unit, password = 'a long enough password', extra = [] } = {}) => runKaiku(
    ['user', 'add', '--data', dataDir, '--model', MODEL, '--login', login, '--role', role, ...(unit ? ['--unit', unit] : []), '--password-stdin', ...extra],
    { input: password === null ? undefined : `${password}\n` });
  const sql = (q) => execFileSync('sqlite3', [path.join(dataDir, 'kaiku.db'), q], { encoding: 'utf8' }).trim();

  test('adds users of every role; passwords are argon2id hashes', async () => {
    for (const role of ['admin', 'cx_specialist', 'director', 'unit_manager', 'analyst', 'integration']) {
      const r = await add(`u_${role}`, role, { unit: ['unit_manager', 'director'].includes(role) ? 'tk-koivula' : undefined, password: `secret-${role}-pw` });
      assert.equal(r.code, 0, `${role}: ${r.stdout}${r.stderr}`);
    }
    const hashes = sql('SELECT password_hash FROM users').split('\n');
    assert.equal(hashes.length, 6);
    for (const h of hashes) {
      assert.match(h, /^\$argon2id\$/, `password hash ${h.slice(0, 20)}… is not argon2id`);
      assert.ok(!h.includes('secret-'), 'plain password stored');
    }
    assert.equal(sql("SELECT scope_unit FROM users WHERE login='u_unit_manager'"), 'tk-koivula');
  });

  test('refuses a duplicate login, an unknown role, an unknown unit, an empty password', async () => {
    const dup = await add('u_admin', 'admin');
    assert.notEqual(dup.code, 0, 'duplicate login accepted');
    assert.match(dup.stdout + dup.stderr, /u_admin/);
    const role = await add('u_x', 'superuser');
    assert.notEqual(role.code, 0, 'unknown role accepted');
    assert.match(role.stdout + role.stderr, /superuser|role/i);
    const unit = await add('u_y', 'unit_manager', { unit: 'no-such-unit' });
    assert.notEqual(unit.code, 0, 'unknown unit accepted');
    assert.match(unit.stdout + unit.stderr, /no-such-unit/);
    const empty = await add('u_z', 'analyst', { password: '' });
    assert.notEqual(empty.code, 0, 'empty password accepted');
    assert.equal(sql("SELECT count(*) FROM users WHERE login IN ('u_x','u_y','u_z')"), '0');
  });

  test('token issue prints a fresh bearer token, stores only its hash', async () => {
    const a = await runKaiku(['token', 'issue', '--data', dataDir, '--login', 'u_analyst']);
    const b = await runKaiku(['token', 'issue', '--data', dataDir, '--login', 'u_analyst']);
    assert.equal(a.code, 0, a.stderr);
    const ta = a.stdout.trim().split('\n').at(-1);
    const tb = b.stdout.trim().split('\n').at(-1);
    assert.match(ta, /^[A-Za-z0-9._~+/=-]{32,}$/, `token ${ta}`);
    assert.notEqual(ta, tb);
    const dump = sql('SELECT * FROM api_tokens');
    assert.ok(!dump.includes(ta) && !dump.includes(tb), 'plain token stored');
    const none = await runKaiku(['token', 'issue', '--data', dataDir, '--login', 'nobody']);
    assert.notEqual(none.code, 0);
    assert.match(none.stdout + none.stderr, /nobody/);
  });

  test('unit_manager and director need --unit; passwords need 12 characters', async () => {
    for (const role of ['unit_manager', 'director']) {
      const r = await add(`u_nounit_${role}`, role);
      assert.notEqual(r.code, 0, `${role} without --unit accepted`);
      assert.match(r.stderr, new RegExp(`role ${role} needs the unit .*--unit`), r.stderr);
    }
    const short = await add('u_short', 'analyst', { password: '12345678901' });
    assert.notEqual(short.code, 0, 'an 11-character password accepted');
    assert.match(short.stderr, /at least 12 characters/, short.stderr);
    const ok = await add('u_twelve', 'analyst', { password: '123456789012' });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(sql("SELECT count(*) FROM users WHERE login IN ('u_nounit_unit_manager','u_nounit_director','u_short')"), '0');
  });

  test('token issue: expires in 365 days by default, --days 1..3650, expiry on stderr', async () => {
    const day = 24 * 3600 * 1000;
    const lifetime = () => Number(sql('SELECT expires_at - created_at FROM api_tokens ORDER BY id DESC LIMIT 1'));
    const def = await runKaiku(['token', 'issue', '--data', dataDir, '--login', 'u_analyst']);
    assert.equal(def.code, 0, def.stderr);
    assert.equal(lifetime(), 365 * day);
    const expiry = /expires at (\d{4}-\d\d-\d\dT[\d:.]+Z)/.exec(def.stderr);
    assert.ok(expiry, `no expiry on stderr: ${def.stderr}`);
    assert.ok(!def.stdout.includes('expires'), 'stdout carries only the token');
    assert.equal(Number(sql('SELECT expires_at FROM api_tokens ORDER BY id DESC LIMIT 1')), Date.parse(expiry[1]));
    const month = await runKaiku(['token', 'issue', '--data', dataDir, '--login', 'u_analyst', '--days', '30']);
    assert.equal(month.code, 0, month.stderr);
    assert.equal(lifetime(), 30 * day);
    const tokens = Number(sql('SELECT count(*) FROM api_tokens'));
    for (const days of ['0', '3651', '-1']) {
      const r = await runKaiku(['token', 'issue', '--data', dataDir, '--login', 'u_analyst', '--days', days]);
      assert.notEqual(r.code, 0, `--days ${days} accepted`);
      assert.match(r.stderr, /--days/, r.stderr);
    }
    assert.equal(Number(sql('SELECT count(*) FROM api_tokens')), tokens, 'a refused --days stored a token');
  });
});
