// Model versions: every response records the model version it answered; a reworded
// model gets a new version without breaking earlier answers; restarting without
// --model serves the model last served from the data dir.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { MODEL, startServer } from '../lib/server.mjs';
import { allResponses, apiSubmit } from '../lib/flows.mjs';
import { loadModel, newKey, surveyOf, touchpointFor } from '../lib/model.mjs';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

test('a reworded model gets a new version; old answers keep theirs', async () => {
  const modelDir = await mkdtemp(path.join(tmpdir(), 'kaiku-model-v-'));
  cleanups.push(() => rm(modelDir, { recursive: true, force: true }));
  await cp(MODEL, modelDir, { recursive: true });

  const srv = await startServer({ model: modelDir });
  cleanups.push(() => srv.cleanup());
  const m1 = await loadModel(srv);
  const integration = await srv.token('integration');
  const admin = await srv.token('admin');
  const tp = touchpointFor(m1, 'web');
  const survey = surveyOf(m1, tp);
  const firstMarker = `v1-${newKey()}`;
  const first = await apiSubmit(srv, integration, tp, survey, { marker: firstMarker });
  assert.equal(first.status, 201, first.text);
  await srv.stop();

  // Reword the NPS question (same key): a new model version.
  const qfile = path.join(modelDir, 'questions.yaml');
  const text = await readFile(qfile, 'utf8');
  const reworded = text.replace(/(\n\s+fi: )(Kuinka todennäköisesti suosittelisit)/, '$1Miten todennäköisesti suosittelisit');
  assert.notEqual(reworded, text, 'the demo NPS wording was not found');
  await writeFile(qfile, reworded);

  await srv.restart();
  const m2 = await loadModel(srv);
  assert.notEqual(m2.version, m1.version, 'rewording did not change the model version');
  const second = await apiSubmit(srv, integration, tp, surveyOf(m2, tp), { marker: `v2-${newKey()}` });
  assert.equal(second.status, 201, second.text);
  // The first key is still known after the model changed.
  const again = await apiSubmit(srv, integration, tp, survey, { key: first.key, marker: firstMarker });
  assert.equal(again.status, 200);
  assert.equal(String(again.body.id), String(first.body.id));

  const items = await allResponses(srv, admin, { touchpoint: tp.id });
  const a = items.find((i) => String(i.id) === String(first.body.id));
  const b = items.find((i) => String(i.id) === String(second.body.id));
  assert.equal(a.model_version, m1.version);
  assert.equal(b.model_version, m2.version);
  const nps = survey.questions.find((q) => q.type === 'nps').key;
  assert.ok(nps in a.answers && nps in b.answers, 'answers keep their question keys across versions');
  await srv.stop();

  // Without --model: the model last served from this data dir.
  srv.model = null;
  await srv.restart();
  const m3 = await loadModel(srv);
  assert.equal(m3.version, m2.version);
  await srv.stop();
});

test('a server refuses to start on an invalid model', async () => {
  const modelDir = await mkdtemp(path.join(tmpdir(), 'kaiku-model-bad-'));
  cleanups.push(() => rm(modelDir, { recursive: true, force: true }));
  await cp(MODEL, modelDir, { recursive: true });
  const f = path.join(modelDir, 'touchpoints.yaml');
  await writeFile(f, (await readFile(f, 'utf8')).replace(/survey: ydinkysely/, 'survey: no_such_survey'));
  await assert.rejects(startServer({ model: modelDir }), /exited|no_such_survey/);
});
