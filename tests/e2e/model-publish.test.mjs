// The model in the staff workspace: a CX specialist checks an uploaded model (a
// broken one: file:line diagnostics; a changed one: the diff), publishes it and the
// server serves it at once, without a restart; earlier versions stay readable; a
// unit manager may not publish; after a restart the published model is served.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { MODEL, startServer } from '../lib/server.mjs';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

// Every file of a model folder (README.md too, as a browser's folder upload sends it).
async function folderFiles(dir) {
  const files = {};
  for (const name of await readdir(dir)) files[name] = await readFile(path.join(dir, name), 'utf8');
  return files;
}

const NEW_TOUCHPOINT = `
  - id: e2e-uusi-piste
    name: {fi: Uusi mittauspiste, sv: Ny mätpunkt, en: New touchpoint}
    journey: avovastaanotto
    stage: kaynti
    units: [tk-koivula]
    survey: ydinkysely
    channels: [qr, web]
    frequency: continuous
`;

test('a CX specialist checks, diffs and publishes a model; it is served without a restart', async () => {
  const modelDir = await mkdtemp(path.join(tmpdir(), 'kaiku-model-pub-'));
  cleanups.push(() => rm(modelDir, { recursive: true, force: true }));
  await cp(MODEL, modelDir, { recursive: true });
  const srv = await startServer({ model: modelDir });
  cleanups.push(() => srv.cleanup());

  const cx = await srv.token('cx_specialist');
  const manager = await srv.token('unit_manager', 'tk-koivula');
  const before = (await srv.api('GET', '/api/v1/model')).body;
  const files = await folderFiles(modelDir);

  // A broken model: 422 with every problem at file:line:column.
  const broken = { ...files, 'touchpoints.yaml': files['touchpoints.yaml'].replace('survey: ydinkysely', 'survey: no_such_survey') };
  const bad = await srv.api('POST', '/api/v1/models/check', { token: cx, body: { files: broken } });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.body.ok, false);
  const d = bad.body.diagnostics.find((x) => x.message.includes('no_such_survey'));
  assert.ok(d, bad.text);
  assert.equal(d.file, 'touchpoints.yaml');
  const lines = broken['touchpoints.yaml'].split('\n');
  assert.ok(lines[d.line - 1].includes('survey: no_such_survey'), `line ${d.line} is the broken line`);
  assert.ok(d.column > 1);

  // A changed model: a new touchpoint and a reworded NPS question.
  const changed = {
    ...files,
    'touchpoints.yaml': files['touchpoints.yaml'] + NEW_TOUCHPOINT,
    'questions.yaml': files['questions.yaml'].replace('Kuinka todennäköisesti suosittelisit', 'Miten todennäköisesti suosittelisit'),
  };
  assert.notEqual(changed['questions.yaml'], files['questions.yaml'], 'the demo NPS wording was not found');
  const check = await srv.api('POST', '/api/v1/models/check', { token: cx, body: { files: changed } });
  assert.equal(check.status, 200, check.text);
  assert.equal(check.body.ok, true);
  assert.notEqual(check.body.version, before.version);
  assert.deepEqual(check.body.diff.touchpoints.added, ['e2e-uusi-piste']);
  const nps = check.body.diff.questions.changed.find((q) => q.key === 'nps');
  assert.ok(nps, JSON.stringify(check.body.diff.questions));
  assert.ok(nps.texts.some((t) => t.language === 'fi' && t.to.startsWith('Miten todennäköisesti')));
  assert.equal((await srv.api('GET', '/api/v1/model')).body.version, before.version, 'a check changes nothing');

  // A unit manager may read versions but not check or publish.
  assert.equal((await srv.api('GET', '/api/v1/models', { token: manager })).status, 200);
  const refused = await srv.api('POST', '/api/v1/models/publish', { token: manager, body: { files: changed } });
  assert.equal(refused.status, 403, refused.text);

  // Publish: the very next request already sees the new model.
  const pub = await srv.api('POST', '/api/v1/models/publish', { token: cx, body: { files: changed } });
  assert.equal(pub.status, 200, pub.text);
  assert.equal(pub.body.version, check.body.version);
  const now = (await srv.api('GET', '/api/v1/model')).body;
  assert.equal(now.version, pub.body.version);
  assert.ok(now.touchpoints.some((t) => t.id === 'e2e-uusi-piste'));
  const page = await srv.fetch('/s/e2e-uusi-piste?lang=fi');
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Miten todennäköisesti suosittelisit/);

  // Earlier versions stay readable; the list says which one is served.
  const old = await srv.api('GET', `/api/v1/models/${before.version}`, { token: manager });
  assert.equal(old.status, 200, old.text);
  assert.equal(old.body.version, before.version);
  assert.ok(!old.body.touchpoints.some((t) => t.id === 'e2e-uusi-piste'));
  const list = await srv.api('GET', '/api/v1/models', { token: cx });
  assert.equal(list.status, 200);
  const current = list.body.filter((v) => v.current);
  assert.equal(current.length, 1);
  assert.equal(current[0].version, pub.body.version);
  assert.match(current[0].published_by, /cx_specialist/);
  const first = list.body.find((v) => v.version === before.version);
  assert.ok(first && first.from_file && first.published_by === null, JSON.stringify(list.body));

  // The publication is audited.
  const admin = await srv.token('admin');
  const audit = await srv.api('GET', '/api/v1/audit?action=model.publish', { token: admin });
  assert.equal(audit.status, 200, audit.text);
  assert.ok(audit.body.entries.some((e) => e.object === `version=${pub.body.version}`), audit.text);

  // Touchpoint statistics list the new touchpoint (no answers yet).
  const stats = await srv.api('GET', '/api/v1/touchpoints/stats', { token: cx });
  assert.equal(stats.status, 200, stats.text);
  const row = stats.body.touchpoints.find((t) => t.touchpoint === 'e2e-uusi-piste');
  assert.deepEqual(row, { touchpoint: 'e2e-uusi-piste', invitations: 0, answers: 0, last_answer_at: null });

  // After a restart without --model the published model is served.
  await srv.stop();
  srv.model = null;
  await srv.restart();
  assert.equal((await srv.api('GET', '/api/v1/model')).body.version, pub.body.version);
  assert.equal((await srv.fetch('/s/e2e-uusi-piste?lang=fi')).status, 200);
  await srv.stop();
});

test('a model upload over the general body limit is accepted on the models route only', async () => {
  const srv = await startServer({});
  cleanups.push(() => srv.cleanup());
  const cx = await srv.token('cx_specialist');
  const files = await folderFiles(MODEL);
  const body = JSON.stringify({ files });
  assert.ok(body.length > 64 * 1024, 'the demo folder is larger than the general 64 KiB limit');
  const check = await srv.api('POST', '/api/v1/models/check', { token: cx, rawBody: body });
  assert.equal(check.status, 200, check.text);
  assert.equal(check.body.diff.empty, true, 'the served demo model against itself');
  const elsewhere = await srv.api('POST', '/api/v1/responses', { token: cx, rawBody: body });
  assert.equal(elsewhere.status, 413);
  await srv.stop();
});
