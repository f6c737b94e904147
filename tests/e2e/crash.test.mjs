// THE CRASH TEST: concurrent submitters, `kill -9` of the server under load, restart
// on the same data dir: every acknowledged response is present exactly once, and no
// response is stored twice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startServer } from '../lib/server.mjs';
import { allResponses, apiSubmit, getPage } from '../lib/flows.mjs';
import { postFormTo } from '../lib/html.mjs';
import { loadModel, newKey, openTextQuestion, surveyOf, validFormFields } from '../lib/model.mjs';

const API_WORKERS = 12;
const FORM_WORKERS = 4;
const LOAD_MS = Number(process.env.KAIKU_CRASH_LOAD_MS ?? 1500);

let srv;

before(async () => {
  srv = await startServer();
});

after(async () => {
  if (!srv) return;
  try {
    await srv.stop();
  } finally {
    await srv.cleanup();
  }
});

test('every acknowledged response survives kill -9 exactly once', async () => {
  const model = await loadModel(srv);
  const integration = await srv.token('integration');
  const admin = await srv.token('admin');

  const withText = model.touchpoints.filter((t) => openTextQuestion(surveyOf(model, t)));
  const apiTps = withText.slice(0, 8);
  const formTps = withText.filter((t) => t.channels.includes('web')).slice(0, 8);
  assert.ok(apiTps.length > 0 && formTps.length > 0, 'touchpoints with open text and the web channel');
  const hidden = new Map();
  for (const t of formTps) {
    const page = await getPage(srv, `/s/${t.id}`);
    assert.equal(page.res.status, 200);
    const h = { ...page.form.hidden };
    delete h.k;
    hidden.set(t.id, h);
  }

  const acked = new Map();      // marker -> {key, via, tp, id?}
  const attempted = new Set();  // every marker sent
  const failures = new Map();   // status/error -> count (after the kill these are expected)
  let killed = false;
  let stop = false;
  const note = (what) => failures.set(what, (failures.get(what) ?? 0) + 1);

  async function apiWorker(w) {
    for (let i = 0; !stop; i++) {
      const tp = apiTps[(w + i) % apiTps.length];
      const key = newKey();
      const marker = `crash-api-${key}`;
      attempted.add(marker);
      try {
        const r = await apiSubmit(srv, integration, tp, surveyOf(model, tp), { key, marker });
        if (r.status === 201) acked.set(marker, { key, via: 'api', tp, id: String(r.body.id) });
        else note(`api ${r.status}${killed ? ' (after kill)' : ''}: ${r.text.slice(0, 120)}`);
      } catch (e) {
        if (!killed) note(`api error before kill: ${e.cause?.code ?? e.message}`);
        if (killed) return;
      }
    }
  }

  async function formWorker(w) {
    for (let i = 0; !stop; i++) {
      const tp = formTps[(w + i) % formTps.length];
      const key = newKey();
      const marker = `crash-form-${key}`;
      attempted.add(marker);
      const fields = [...Object.entries(hidden.get(tp.id)), ['k', key], ['respondent', 'self'],
        ...validFormFields(surveyOf(model, tp), { marker })];
      try {
        const res = await postFormTo(`${srv.url}/s/${tp.id}`, fields);
        await res.arrayBuffer().catch(() => {});
        if (res.status === 303 && /\/kiitos/.test(res.headers.get('location') ?? '')) acked.set(marker, { key, via: 'form', tp, fields });
        else if (res.status !== 429) note(`form ${res.status}${killed ? ' (after kill)' : ''}`);
      } catch (e) {
        if (!killed) note(`form error before kill: ${e.cause?.code ?? e.message}`);
        if (killed) return;
      }
    }
  }

  const workers = [
    ...Array.from({ length: API_WORKERS }, (_, w) => apiWorker(w)),
    ...Array.from({ length: FORM_WORKERS }, (_, w) => formWorker(w)),
  ];

  // Load for LOAD_MS, and until at least some submissions were acknowledged
  // (sanitized builds are slow), then kill -9 in the middle of it.
  const t0 = Date.now();
  while (Date.now() - t0 < LOAD_MS || (acked.size < 100 && Date.now() - t0 < 30000)) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const ackedBeforeKill = acked.size;
  killed = true;
  await srv.kill9();
  stop = true;
  await Promise.all(workers);
  assert.equal(srv.exit.signal, 'SIGKILL', 'the server was killed by SIGKILL');
  const beforeKillFailures = [...failures].filter(([k]) => !k.includes('after kill'));
  assert.deepEqual(beforeKillFailures, [], 'submissions failed before the kill');
  assert.ok(ackedBeforeKill >= 20, `only ${ackedBeforeKill} acknowledged submissions before the kill`);
  assert.ok([...acked.values()].some((a) => a.via === 'api'), 'no API submission acknowledged');
  assert.ok([...acked.values()].some((a) => a.via === 'form'), 'no form submission acknowledged');

  await srv.restart();
  const items = await allResponses(srv, admin);
  const byMarker = new Map();
  const ids = new Set();
  for (const it of items) {
    assert.ok(!ids.has(String(it.id)), `response id ${it.id} listed twice`);
    ids.add(String(it.id));
    for (const v of Object.values(it.answers ?? {})) {
      if (typeof v === 'string' && v.startsWith('crash-')) byMarker.set(v, (byMarker.get(v) ?? 0) + 1);
    }
  }
  const lost = [...acked.keys()].filter((m) => !byMarker.has(m));
  const doubled = [...byMarker].filter(([, n]) => n > 1).map(([m]) => m);
  const strangers = [...byMarker.keys()].filter((m) => !attempted.has(m));
  assert.deepEqual(lost, [], `${lost.length} of ${acked.size} acknowledged responses lost after kill -9`);
  assert.deepEqual(doubled, [], 'responses stored twice');
  assert.deepEqual(strangers, [], 'responses nobody sent');
  for (const [m, a] of acked) {
    if (a.id) {
      const it = items.find((x) => String(x.id) === a.id);
      assert.ok(it && Object.values(it.answers).includes(m), `API ack id ${a.id} does not hold ${m}`);
    }
  }
  const total = items.length;
  console.log(`# crash test: ${acked.size} acknowledged (${ackedBeforeKill} before kill), ${byMarker.size} stored, `
    + `${byMarker.size - acked.size} committed without an acknowledgement`);

  // Resubmitting acknowledged keys after the restart: duplicates, nothing new stored.
  // The same key with other content is a conflict (409), also nothing stored.
  const sample = [...acked.entries()].slice(0, 40);
  for (const [m, a] of sample) {
    if (a.via === 'api') {
      const r = await apiSubmit(srv, integration, a.tp, surveyOf(model, a.tp), { key: a.key, marker: m });
      assert.equal(r.status, 200, `resubmitting ${a.key}: ${r.text}`);
      assert.equal(r.body.duplicate, true);
      assert.equal(String(r.body.id), a.id);
      const other = await apiSubmit(srv, integration, a.tp, surveyOf(model, a.tp), { key: a.key, marker: 'resubmitted' });
      assert.equal(other.status, 409, `resubmitting ${a.key} with other content: ${other.text}`);
    } else {
      const res = await postFormTo(`${srv.url}/s/${a.tp.id}`, a.fields);
      assert.equal(res.status, 303, `resubmitting form key ${a.key}`);
      await res.arrayBuffer();
    }
  }
  const after = await allResponses(srv, admin);
  assert.equal(after.length, total, 'resubmitted keys stored again');
  assert.ok(!after.some((it) => Object.values(it.answers).includes('resubmitted')));
});

test('SIGTERM under load drains: exit 0, every acknowledged response present once', async () => {
  const model = await loadModel(srv);
  const integration = await srv.token('integration');
  const admin = await srv.token('admin');
  const tps = model.touchpoints.filter((t) => openTextQuestion(surveyOf(model, t))).slice(0, 4);
  const acked = new Set();
  let stopping = false;
  async function worker(w) {
    for (let i = 0; ; i++) {
      const tp = tps[(w + i) % tps.length];
      const key = newKey();
      const marker = `term-${key}`;
      try {
        const r = await apiSubmit(srv, integration, tp, surveyOf(model, tp), { key, marker });
        if (r.status === 201) acked.add(marker);
        else if (!stopping) assert.fail(`status ${r.status} before SIGTERM: ${r.text}`);
      } catch (e) {
        if (!stopping) throw e;
        return;
      }
      if (stopping && srv.exit) return;
    }
  }
  const workers = Array.from({ length: 8 }, (_, w) => worker(w));
  const t0 = Date.now();
  while (Date.now() - t0 < 800 || (acked.size < 50 && Date.now() - t0 < 20000)) await new Promise((r) => setTimeout(r, 50));
  stopping = true;
  await srv.stop(); // throws unless the exit is clean (code 0, no sanitizer report)
  await Promise.all(workers);
  await srv.restart();
  const counts = new Map();
  for (const it of await allResponses(srv, admin)) {
    for (const v of Object.values(it.answers ?? {})) if (typeof v === 'string' && v.startsWith('term-')) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const lost = [...acked].filter((m) => !counts.has(m));
  assert.deepEqual(lost, [], `${lost.length} of ${acked.size} acknowledged responses lost after SIGTERM`);
  assert.deepEqual([...counts].filter(([, n]) => n > 1), []);
});
