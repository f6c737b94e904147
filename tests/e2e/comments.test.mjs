// Free text end to end on the real binary: a web-form comment with an identity code,
// a phone number and a name is stored redacted (with its analysis), staff read the
// redacted text, the original is readable only by the model's original readers and
// every read is audited, and the database never holds the plain identity code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { KAIKU_BIN, MODEL, REPO, runKaiku, startServer, useServer } from '../lib/server.mjs';
import { allResponses, answerSurvey } from '../lib/flows.mjs';
import { loadModel, openTextQuestion, surveyOf, touchpointFor } from '../lib/model.mjs';

const HETU = '131052-308T';
const PHONE = '040-1234567';
const COMMENT = `Olen Maija Virtanen, hetuni on ${HETU} ja numeroni ${PHONE}. Jonossa odotin tunnin.`;

let model;
let tp;
let survey;
let admin;
let analyst;
const ctx = useServer({ before, after }, async () => {
  model = await loadModel(ctx.srv);
  tp = touchpointFor(model, 'web');
  survey = surveyOf(model, tp);
  admin = await ctx.srv.token('admin');
  analyst = await ctx.srv.token('analyst');
});

function sqlite(sql) {
  return execFileSync('sqlite3', ['-readonly', path.join(ctx.srv.dataDir, 'kaiku.db'), sql], { encoding: 'utf8' }).trim();
}

describe('free text: redaction, analysis and sealed originals', () => {
  let id;
  let question;

  test('a web-form comment is stored redacted, with its comments analysis', async () => {
    question = openTextQuestion(survey).key;
    const { res } = await answerSurvey(ctx.srv, tp, survey, { marker: COMMENT });
    assert.ok(res.status === 303 || res.status === 200, `submit answered ${res.status}`);
    const all = await allResponses(ctx.srv, admin);
    assert.equal(all.length, 1, 'one response stored');
    id = all[0].id;
    const manager = await ctx.srv.token('unit_manager', all[0].unit);
    const r = await ctx.srv.api('GET', `/api/v1/responses/${id}`, { token: manager });
    assert.equal(r.status, 200, r.text);
    const text = r.body.answers[question];
    assert.equal(typeof text, 'string');
    assert.ok(!text.includes(HETU), `hetu in ${text}`);
    assert.ok(!text.includes(PHONE), `phone in ${text}`);
    assert.ok(!text.includes('Virtanen'), `name in ${text}`);
    assert.match(text, /\[hetu\]/);
    assert.match(text, /\[puhelin\]/);
    assert.match(text, /\[nimi\]/);
    assert.ok(text.includes('Jonossa odotin tunnin'), `the rest of the comment stays: ${text}`);
    const comments = r.body.comments;
    assert.ok(Array.isArray(comments) && comments.length >= 1, r.text);
    const c = comments.find((x) => x.question === question);
    assert.ok(c, `no insight for ${question}: ${r.text}`);
    assert.equal(c.language, 'fi');
    assert.ok(['positive', 'neutral', 'negative', 'mixed'].includes(c.sentiment));
    assert.ok(Array.isArray(c.themes));
    assert.equal(typeof c.suggestion, 'boolean');
    for (const kind of ['hetu', 'puhelin', 'nimi']) assert.ok(c.placeholders.includes(kind), `${kind} in ${c.placeholders}`);
  });

  test('the original: admin reads it (audited), an analyst gets 403, unknown ids 404', async () => {
    const ok = await ctx.srv.api('GET', `/api/v1/responses/${id}/original`, { token: admin });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.response_id, id);
    const orig = ok.body.originals.find((o) => o.question === question);
    assert.equal(orig?.text, COMMENT);
    const denied = await ctx.srv.api('GET', `/api/v1/responses/${id}/original`, { token: analyst });
    assert.equal(denied.status, 403, denied.text);
    assert.equal(denied.headers.get('content-type'), 'application/problem+json');
    assert.ok(!denied.text.includes(HETU));
    const missing = await ctx.srv.api('GET', `/api/v1/responses/${id + 1000}/original`, { token: admin });
    assert.equal(missing.status, 404);

    const served = sqlite(`SELECT login || ' ' || object || ' ' || count FROM audit_log WHERE action = 'comments.original'`);
    assert.match(served, new RegExp(`response=${id} ${ok.body.originals.length}$`), served);
    const refused = sqlite(`SELECT count(*) FROM audit_log WHERE action = 'comments.original.denied'`);
    assert.ok(Number(refused) >= 2, `denied reads audited: ${refused}`);
  });

  test('the database files never hold the plain identity code or phone number', () => {
    for (const suffix of ['', '-wal']) {
      const file = path.join(ctx.srv.dataDir, 'kaiku.db' + suffix);
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file);
      assert.equal(bytes.indexOf(HETU), -1, `${HETU} in ${file}`);
      assert.equal(bytes.indexOf(PHONE), -1, `${PHONE} in ${file}`);
    }
    assert.equal(sqlite(`SELECT count(*) FROM responses WHERE answers LIKE '%${HETU}%'`), '0');
    // One sealed original per open answer of the one response (the survey may have several).
    const open = surveyOf(model, tp).questions.filter((q) => q.type === 'open_text').length;
    assert.equal(sqlite('SELECT count(*) FROM sealed_originals'), String(open));
  });
});

function sqliteAt(dataDir, sql) {
  return execFileSync('sqlite3', ['-readonly', path.join(dataDir, 'kaiku.db'), sql], { encoding: 'utf8' }).trim();
}

describe('kaiku gen: every generated comment goes through the analyser', () => {
  test('gen analyses and seals every comment under --key-file, and serve opens them with that key', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'kaiku-gen-'));
    try {
      const keyFile = path.join(dataDir, 'elsewhere.key');
      writeFileSync(keyFile, 'ab'.repeat(32) + '\n', { mode: 0o600 });
      const gen = await runKaiku(['gen', '--data', dataDir, '--model', MODEL, '--responses', '400', '--seed', '5',
        '--key-file', keyFile], { timeoutMs: 180000 });
      assert.equal(gen.code, 0, gen.stderr);
      assert.match(gen.stdout, /open answers: [1-9]\d* redacted and analysed/, gen.stdout);
      assert.doesNotMatch(gen.stdout, /synthetic labels/);
      assert.equal(existsSync(path.join(dataDir, 'kaiku.key')), false, 'the given key, not DATA/kaiku.key');
      const insights = Number(sqliteAt(dataDir, 'SELECT count(*) FROM comment_insights'));
      assert.ok(insights > 0);
      assert.equal(Number(sqliteAt(dataDir, 'SELECT count(*) FROM sealed_originals')), insights,
        'every analysed comment has its sealed original: no planted label skipped the analyser');
      assert.equal(sqliteAt(dataDir, 'SELECT count(*) FROM responses WHERE text_analysed = 0'), '0');
      const id = Number(sqliteAt(dataDir, 'SELECT min(response_id) FROM sealed_originals'));

      const srv = await startServer({ dataDir, extraArgs: ['--key-file', keyFile] });
      try {
        const admin = await srv.token('admin');
        const r = await srv.api('GET', `/api/v1/responses/${id}/original`, { token: admin });
        assert.equal(r.status, 200, r.text);
        assert.ok(r.body.originals.length >= 1 && r.body.originals.every((o) => o.text.length > 0), r.text);
      } finally {
        await srv.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('--synthetic-labels keeps the generator\'s labels (and then seals nothing)', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'kaiku-gen-'));
    try {
      const gen = await runKaiku(['gen', '--data', dataDir, '--model', MODEL, '--responses', '200', '--seed', '5',
        '--synthetic-labels'], { timeoutMs: 180000 });
      assert.equal(gen.code, 0, gen.stderr);
      assert.match(gen.stdout, /[1-9]\d* kept with the generator's synthetic labels/, gen.stdout);
      assert.ok(Number(sqliteAt(dataDir, 'SELECT count(*) FROM comment_insights')) > 0);
      assert.equal(sqliteAt(dataDir, 'SELECT count(*) FROM sealed_originals'), '0');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('kaiku serve without Finnish morphology', () => {
  // Hides /usr/lib/voikko in a private mount namespace (unprivileged user namespace).
  const canHide = (() => {
    try {
      execFileSync('unshare', ['-rm', 'sh', '-c', 'mount --bind /tmp /usr/lib/voikko'], { stdio: 'ignore' });
      return existsSync('/usr/lib/voikko');
    } catch {
      return false;
    }
  })();

  test('refuses to start unless --allow-no-voikko', { skip: !canHide && 'cannot hide voikko-fi (unshare)' }, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'kaiku-novoikko-'));
    try {
      const run = spawnSync('unshare', ['-rm', 'sh', '-c',
        'mount --bind "$1" /usr/lib/voikko && exec "$2" serve --data "$1" --model "$3" --listen 127.0.0.1:0',
        'sh', dataDir, KAIKU_BIN, MODEL], { encoding: 'utf8', timeout: 120000, cwd: REPO });
      const out = `${run.stdout}${run.stderr}`;
      assert.equal(run.status, 1, out);
      assert.match(out, /Finnish morphology \(voikko-fi\) is missing: names in comments would not be redacted; install voikko-fi or pass --allow-no-voikko/, out);
      assert.doesNotMatch(out, /listening on/, out);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
