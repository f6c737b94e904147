// Durability as the operating system sees it: with the server running under strace,
// every acknowledgement (303 for a form, 201 for the API) is sent only after an
// fsync/fdatasync of the database (WAL) has completed since the request arrived.
// Skipped where strace is missing or ptrace is not allowed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';

import { startServer } from '../lib/server.mjs';
import { apiSubmit } from '../lib/flows.mjs';
import { postFormTo } from '../lib/html.mjs';
import { loadModel, newKey, surveyOf, touchpointFor, validFormFields } from '../lib/model.mjs';

let srv = null;
let skipReason = null;
let log;
let logDir;

before(async () => {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
  } catch {
    skipReason = 'strace not installed';
    return;
  }
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  logDir = await mkdtemp(path.join(tmpdir(), 'kaiku-strace-'));
  log = path.join(logDir, 'strace.log');
  try {
    srv = await startServer({
      // LeakSanitizer cannot work under ptrace.
      env: { ASAN_OPTIONS: `${process.env.ASAN_OPTIONS ? `${process.env.ASAN_OPTIONS}:` : ''}detect_leaks=0` },
      wrapper: ['strace', '-f', '-y', '-s', '4096', '-o', log,
        '-e', 'trace=fsync,fdatasync,sync_file_range,read,recvfrom,recvmsg,readv,write,writev,sendto,sendmsg'],
    });
  } catch (e) {
    skipReason = `cannot run the server under strace: ${e.message.split('\n')[0]}`;
    srv = null;
  }
});

after(async () => {
  try {
    if (srv) await srv.stop();
  } finally {
    await srv?.cleanup();
    if (logDir && !process.env.KAIKU_KEEP_DATA) await rm(logDir, { recursive: true, force: true });
  }
});

// Parses the strace log into events: {i, pid, kind: 'recv'|'send'|'sync', sock, text, file}.
async function events() {
  const lines = (await readFile(log, 'utf8')).split('\n');
  const out = [];
  const pendingSync = new Map(); // pid -> file of an unfinished sync
  const streams = new Map();     // socket -> received text so far (tail)
  const pendingRecv = new Map(); // pid -> socket of an unfinished read
  for (const [i, line] of lines.entries()) {
    const m = /^(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const pid = m[1];
    const rest = m[2];
    let s;
    // A sync counts from the line where it started to the line where it returned 0.
    if ((s = /^(fsync|fdatasync|sync_file_range)\(\d+<([^>]*)>.*\)\s*=\s*0\s*$/.exec(rest))) {
      out.push({ i, start: i, pid, kind: 'sync', file: s[2] });
    } else if ((s = /^(fsync|fdatasync|sync_file_range)\(\d+<([^>]*)>.*<unfinished \.\.\.>/.exec(rest))) {
      pendingSync.set(pid, { file: s[2], start: i });
    } else if ((s = /^<\.\.\. (fsync|fdatasync|sync_file_range) resumed>.*\)\s*=\s*0\s*$/.exec(rest)) && pendingSync.has(pid)) {
      out.push({ i, start: pendingSync.get(pid).start, pid, kind: 'sync', file: pendingSync.get(pid).file });
      pendingSync.delete(pid);
    } else if ((s = /^(recvmsg|recvfrom|read|readv)\(\d+<socket:\[(\d+)\]>,\s*<unfinished \.\.\.>/.exec(rest))) {
      pendingRecv.set(pid, s[2]);
    } else if (((s = /^<\.\.\. (recvmsg|recvfrom|read|readv) resumed>(.*)$/.exec(rest)) && pendingRecv.has(pid)
      && (s = [s[0], s[1], pendingRecv.get(pid), s[2]]) && pendingRecv.delete(pid))
      || (s = /^(recvmsg|recvfrom|read|readv)\(\d+<socket:\[(\d+)\]>(.*)$/.exec(rest))) {
      // A request may arrive in several reads: keep the tail of the previous ones.
      const data = /"((?:[^"\\]|\\.)*)"/.exec(s[3])?.[1] ?? '';
      const prev = streams.get(s[2]) ?? '';
      const text = prev.slice(-200) + data;
      streams.set(s[2], text);
      out.push({ i, pid, kind: 'recv', sock: s[2], text });
    } else if ((s = /^(sendmsg|sendto|write|writev)\(\d+<socket:\[(\d+)\]>(.*)$/.exec(rest))) {
      out.push({ i, pid, kind: 'send', sock: s[2], text: s[3] });
    }
  }
  return out;
}

// Asserts: after the request carrying `key` was read, a sync of the database
// completed before the acknowledgement `ack` was sent on that socket.
async function assertSyncedBeforeAck(key, ack) {
  let ev;
  let recv;
  let send;
  for (let tries = 0; tries < 40; tries++) {
    ev = await events();
    recv = ev.find((e) => e.kind === 'recv' && e.text.includes(key));
    send = recv && ev.find((e) => e.kind === 'send' && e.sock === recv.sock && e.i > recv.i && e.text.includes(ack));
    if (send) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(recv, `request with key ${key} not found in the strace log`);
  assert.ok(send, `acknowledgement "${ack}" for ${key} not found in the strace log`);
  const syncs = ev.filter((e) => e.kind === 'sync' && e.start > recv.i && e.i < send.i && /kaiku\.db(-wal)?$/.test(e.file));
  assert.ok(syncs.length > 0,
    `"${ack}" for key ${key} was sent without an fsync/fdatasync of kaiku.db after the request arrived`);
}

test('every acknowledgement follows a completed fsync of the database', async (t) => {
  if (skipReason) {
    t.skip(skipReason);
    return;
  }
  const model = await loadModel(srv);
  const integration = await srv.token('integration');
  const tp = touchpointFor(model, 'web');
  const survey = surveyOf(model, tp);
  const page = await (await srv.fetch(`/s/${tp.id}`)).text();
  const lang = /name="lang" value="([^"]+)"/.exec(page)?.[1] ?? 'fi';

  // One at a time, then concurrently (group commit), through the form and the API.
  for (let i = 0; i < 3; i++) {
    const k = newKey();
    const res = await postFormTo(`${srv.url}/s/${tp.id}`, [['k', k], ['lang', lang], ['respondent', 'self'], ...validFormFields(survey)]);
    assert.equal(res.status, 303);
    await assertSyncedBeforeAck(k, 'HTTP/1.1 303');
    const r = await apiSubmit(srv, integration, tp, survey);
    assert.equal(r.status, 201, r.text);
    await assertSyncedBeforeAck(r.key, 'HTTP/1.1 201');
  }
  // Control: the detector sees the difference. A page that stores nothing is
  // answered without a sync.
  const probe = newKey();
  assert.equal((await srv.fetch(`/s/${tp.id}?probe=${probe}`)).status, 200);
  await assert.rejects(assertSyncedBeforeAck(probe, 'HTTP/1.1 200'), /without an fsync/);

  const batch = await Promise.all(Array.from({ length: 12 }, () => apiSubmit(srv, integration, tp, survey)));
  for (const r of batch) {
    assert.equal(r.status, 201, r.text);
    await assertSyncedBeforeAck(r.key, 'HTTP/1.1 201');
  }
});
