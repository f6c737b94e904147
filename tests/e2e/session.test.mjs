// Staff sign-in end to end on the real binary (docs/workspace-api.md,
// "Authentication"): the session cookie and its flags, the "me" object, the CSRF rule
// on a cookie-authenticated API call, lock-out after 5 wrong passwords (and `kaiku
// user unlock`), a TOTP second factor (codes computed here with HMAC-SHA1), revoke-all,
// sign-out, idle and absolute expiry on a steered clock, and the /app files mount
// (a temp --app-dir; path traversal refused).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { addUser, runKaiku, startServer, useServer } from '../lib/server.mjs';

const PASSWORD = 'correct horse battery staple';
const tmp = mkdtempSync(path.join(tmpdir(), 'kaiku-session-'));
const clockFile = path.join(tmp, 'clock-offset');
const appDir = path.join(tmp, 'dist');
mkdirSync(path.join(appDir, 'assets'), { recursive: true });
writeFileSync(path.join(appDir, 'index.html'), '<!doctype html><title>Kaiku app</title><script type="module" src="/app/assets/app-3f9a.js"></script>');
writeFileSync(path.join(appDir, 'assets', 'app-3f9a.js'), 'console.log("kaiku");');
writeFileSync(path.join(tmp, 'secret.txt'), 'TOP SECRET');
symlinkSync(path.join(tmp, 'secret.txt'), path.join(appDir, 'assets', 'leak.txt'));

let clockOffsetMs = 0;
async function setClockOffset(ms) {
  clockOffsetMs = ms;
  writeFileSync(`${clockFile}.tmp`, `${ms}\n`);
  renameSync(`${clockFile}.tmp`, clockFile);
  await sleep(30);
}

const ctx = useServer({ before, after }, async (srv) => {
  for (const login of ['anna', 'bea', 'cid', 'dan', 'eve']) {
    await addUser(srv.dataDir, { login, role: 'admin', password: PASSWORD });
  }
}, { extraArgs: ['--clock-offset-file', clockFile, '--app-dir', appDir] });
after(() => rmSync(tmp, { recursive: true, force: true }));

// --- helpers

async function signIn(login, password = PASSWORD, totp) {
  const body = { login, password };
  if (totp !== undefined) body.totp = totp;
  const r = await ctx.srv.api('POST', '/api/v1/session', { body });
  const setCookie = r.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0];
  return { ...r, setCookie, cookie, csrf: r.body?.csrf_token };
}

function withSession(s, { csrf = true } = {}) {
  const headers = { cookie: s.cookie };
  if (csrf) headers['x-csrf-token'] = s.csrf;
  return headers;
}

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of s.replace(/=+$/, '')) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// RFC 6238 with HMAC-SHA1, 6 digits, 30 s steps, at server time + `stepsAhead` steps.
function totpCode(secretBase32, stepsAhead = 0) {
  const step = Math.floor((Date.now() + clockOffsetMs) / 1000 / 30) + stepsAhead;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(bin % 1_000_000).padStart(6, '0');
}

function auditActions(login) {
  const db = path.join(ctx.srv.dataDir, 'kaiku.db');
  return execFileSync('sqlite3', ['-readonly', db, `SELECT action FROM audit_log WHERE login = '${login}' ORDER BY id`],
    { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
}

// A GET with the path sent exactly as written (fetch would normalise "..").
function rawGet(rawPath) {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: ctx.srv.port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('staff sign-in', () => {
  test('sign in: the cookie is HttpOnly, SameSite=Strict, Path=/ (not Secure on loopback) and GET me answers', async () => {
    const s = await signIn('anna');
    assert.equal(s.status, 200, s.text);
    assert.match(s.setCookie, /^kaiku_session=[A-Za-z0-9_-]{43};/);
    assert.match(s.setCookie, /; HttpOnly/);
    assert.match(s.setCookie, /; SameSite=Strict/);
    assert.match(s.setCookie, /; Path=\//);
    assert.doesNotMatch(s.setCookie, /Secure/);
    assert.equal(s.body.login, 'anna');
    assert.equal(s.body.role, 'admin');
    assert.equal(typeof s.body.scope_name.fi, 'string');
    assert.equal(s.body.totp_enabled, false);
    assert.equal(s.body.permissions.read_audit, true);
    assert.ok(s.csrf && s.csrf.length >= 32);
    const me = await ctx.srv.api('GET', '/api/v1/session', { headers: withSession(s, { csrf: false }) });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.user_id, s.body.user_id);
    assert.equal(me.body.csrf_token, s.csrf);
    assert.ok(Date.parse(me.body.expires_at) > Date.now());
    const none = await ctx.srv.api('GET', '/api/v1/session');
    assert.equal(none.status, 401);
    const wrong = await signIn('anna', 'not the password at all');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.detail, 'login or password is wrong');
    const unknown = await signIn('nobody-here', PASSWORD);
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.detail, wrong.body.detail);
    assert.deepEqual(auditActions('anna'), ['session.login', 'session.failed']);
  });

  test('a cookie-authenticated POST needs X-CSRF-Token; GETs do not', async () => {
    const s = await signIn('anna');
    const list = await ctx.srv.api('GET', '/api/v1/responses', { headers: withSession(s, { csrf: false }) });
    assert.equal(list.status, 200, list.text);
    const body = { touchpoint: 'no-such-touchpoint' };
    const bare = await ctx.srv.api('POST', '/api/v1/invitations', { body, headers: withSession(s, { csrf: false }) });
    assert.equal(bare.status, 403, bare.text);
    assert.match(bare.body.detail, /^csrf: /);
    const bad = await ctx.srv.api('POST', '/api/v1/invitations', { body, headers: { cookie: s.cookie, 'x-csrf-token': 'forged' } });
    assert.equal(bad.status, 403, bad.text);
    assert.match(bad.body.detail, /^csrf: /);
    const ok = await ctx.srv.api('POST', '/api/v1/invitations', { body, headers: withSession(s) });
    assert.ok(ok.status !== 401 && ok.status !== 403, `with the CSRF token: ${ok.status} ${ok.text}`);
    assert.doesNotMatch(ok.text, /csrf/);
  });

  test('5 wrong passwords lock the login (429 + Retry-After, also for the right one); kaiku user unlock lifts it', async () => {
    const statuses = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await signIn('bea', 'wrong wrong wrong');
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
    assert.equal(last.body.type, 'urn:kaiku:problem:rate_limited');
    const retry = Number(last.headers.get('retry-after'));
    assert.ok(retry > 14 * 60 && retry <= 15 * 60, `Retry-After ${retry}`);
    const right = await signIn('bea');
    assert.equal(right.status, 429, right.text);
    assert.equal(right.setCookie, '');
    const actions = auditActions('bea');
    assert.equal(actions.filter((a) => a === 'session.locked').length, 1, actions.join());
    assert.ok(actions.filter((a) => a === 'session.failed').length >= 5, actions.join());
    const unlock = await runKaiku(['user', 'unlock', '--data', ctx.srv.dataDir, '--login', 'bea']);
    assert.equal(unlock.code, 0, unlock.stderr);
    assert.match(unlock.stdout, /unlocked bea/);
    const again = await signIn('bea');
    assert.equal(again.status, 200, again.text);
  });

  test('TOTP: enrol, confirm, then sign-in needs the code; totp-reset removes it', async () => {
    const s = await signIn('cid');
    const start = await ctx.srv.api('POST', '/api/v1/session/totp', { headers: withSession(s) });
    assert.equal(start.status, 200, start.text);
    assert.match(start.body.secret, /^[A-Z2-7]{32}$/);
    assert.equal(start.body.otpauth_uri, `otpauth://totp/Kaiku:cid?secret=${start.body.secret}&issuer=Kaiku`);
    assert.match(start.body.qr_svg, /^<svg[^>]*>/);
    const wrong = await ctx.srv.api('POST', '/api/v1/session/totp/confirm', { body: { code: '000000' === totpCode(start.body.secret) ? '111111' : '000000' }, headers: withSession(s) });
    assert.equal(wrong.status, 400, wrong.text);
    const conf = await ctx.srv.api('POST', '/api/v1/session/totp/confirm', { body: { code: totpCode(start.body.secret) }, headers: withSession(s) });
    assert.equal(conf.status, 200, conf.text);
    assert.equal(conf.body.totp_enabled, true);

    const without = await signIn('cid');
    assert.equal(without.status, 401, without.text);
    assert.equal(without.body.totp_required, true);
    assert.equal(without.setCookie, '');
    const badCode = await signIn('cid', PASSWORD, '123456' === totpCode(start.body.secret, 1) ? '654321' : '123456');
    assert.equal(badCode.status, 401);
    assert.equal(badCode.body.totp_required, true);
    // The code of the next step (within the ±1 step window; the current one was used to confirm).
    const withCode = await signIn('cid', PASSWORD, totpCode(start.body.secret, 1));
    assert.equal(withCode.status, 200, withCode.text);
    assert.equal(withCode.body.totp_enabled, true);

    const reset = await runKaiku(['user', 'totp-reset', '--data', ctx.srv.dataDir, '--login', 'cid']);
    assert.equal(reset.code, 0, reset.stderr);
    const plain = await signIn('cid');
    assert.equal(plain.status, 200, plain.text);
    assert.equal(plain.body.totp_enabled, false);
  });

  test('revoke-all ends every session of the user; sign-out ends one', async () => {
    const a = await signIn('dan');
    const b = await signIn('dan');
    const c = await signIn('dan');
    const other = await signIn('anna');
    const revoked = await ctx.srv.api('POST', '/api/v1/session/revoke-all', { headers: withSession(a) });
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal(revoked.body.revoked, 3);
    assert.match(revoked.headers.get('set-cookie') ?? '', /Max-Age=0/);
    for (const s of [a, b, c]) {
      assert.equal((await ctx.srv.api('GET', '/api/v1/session', { headers: withSession(s) })).status, 401);
    }
    assert.equal((await ctx.srv.api('GET', '/api/v1/session', { headers: withSession(other) })).status, 200);

    const d = await signIn('dan');
    const noCsrf = await ctx.srv.api('DELETE', '/api/v1/session', { headers: withSession(d, { csrf: false }) });
    assert.equal(noCsrf.status, 403);
    const out = await ctx.srv.api('DELETE', '/api/v1/session', { headers: withSession(d) });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /^kaiku_session=;.*Max-Age=0/);
    assert.equal((await ctx.srv.api('GET', '/api/v1/session', { headers: withSession(d) })).status, 401);
  });

  test('sessions expire after 8 hours unused and after 12 hours at most', async () => {
    const used = await signIn('eve');
    const idle = await signIn('eve');
    const H = 3600 * 1000;
    try {
      await setClockOffset(7 * H);
      assert.equal((await ctx.srv.api('GET', '/api/v1/session', { headers: withSession(used) })).status, 200);
      await setClockOffset(9 * H);
      assert.equal((await ctx.srv.api('GET', '/api/v1/session', { headers: withSession(idle) })).status, 401);
      const stillUsed = await ctx.srv.api('GET', '/api/v1/session', { headers: withSession(used) });
      assert.equal(stillUsed.status, 200, stillUsed.text);
      await setClockOffset(12 * H + 60 * 1000);
      const tooOld = await ctx.srv.api('GET', '/api/v1/session', { headers: withSession(used) });
      assert.equal(tooOld.status, 401, tooOld.text);
      assert.match(tooOld.body.detail, /expired/);
    } finally {
      await setClockOffset(0);
    }
  });
});

describe('user administration for sign-in', () => {
  test('kaiku user add --email stores the address; a malformed one is refused', async () => {
    const ok = await runKaiku(['user', 'add', '--data', ctx.srv.dataDir, '--login', 'mail1', '--role', 'analyst',
      '--email', 'mail1@example.fi', '--password-stdin'], { input: `${PASSWORD}\n` });
    assert.equal(ok.code, 0, ok.stderr);
    const db = path.join(ctx.srv.dataDir, 'kaiku.db');
    const email = execFileSync('sqlite3', ['-readonly', db, "SELECT email FROM users WHERE login = 'mail1'"], { encoding: 'utf8' }).trim();
    assert.equal(email, 'mail1@example.fi');
    const bad = await runKaiku(['user', 'add', '--data', ctx.srv.dataDir, '--login', 'mail2', '--role', 'analyst',
      '--email', 'not an address', '--password-stdin'], { input: `${PASSWORD}\n` });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--email/);
    const added = execFileSync('sqlite3', ['-readonly', db, "SELECT count(*) FROM users WHERE login = 'mail2'"], { encoding: 'utf8' }).trim();
    assert.equal(added, '0', 'a refused --email adds no user');
    const unknown = await runKaiku(['user', 'totp-reset', '--data', ctx.srv.dataDir, '--login', 'nobody-at-all']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /nobody-at-all/);
  });
});

describe('the /app files mount', () => {
  test('/app redirects; index and assets with their types and caching; app routes fall back to index.html', async () => {
    const bare = await ctx.srv.fetch('/app');
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), '/app/');
    const index = await ctx.srv.fetch('/app/');
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    assert.match(await index.text(), /Kaiku app/);
    const js = await ctx.srv.fetch('/app/assets/app-3f9a.js');
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(await js.text(), 'console.log("kaiku");');
    const route = await ctx.srv.fetch('/app/cases/812');
    assert.equal(route.status, 200);
    assert.match(await route.text(), /Kaiku app/);
    assert.equal((await ctx.srv.fetch('/app/assets/missing-1234.js')).status, 404);
  });

  test('path traversal is refused', async () => {
    for (const p of ['/app/../secret.txt', '/app/assets/../../secret.txt', '/app/%2e%2e/secret.txt',
      '/app/%2E%2E%2Fsecret.txt', '/app/..%2f..%2fetc%2fpasswd', '/app/assets/leak.txt', '/app/.%2e/secret.txt',
      '/app//etc/passwd.txt']) {
      const r = await rawGet(p);
      assert.equal(r.status, 404, `${p}: ${r.status}`);
      assert.doesNotMatch(r.body, /TOP SECRET|root:/, p);
    }
  });
});

describe('--secure-cookies', () => {
  test('adds Secure to the session cookie', async () => {
    const srv = await startServer({ extraArgs: ['--secure-cookies'] });
    try {
      await addUser(srv.dataDir, { login: 'sec', role: 'analyst', password: PASSWORD });
      const r = await srv.api('POST', '/api/v1/session', { body: { login: 'sec', password: PASSWORD } });
      assert.equal(r.status, 200, r.text);
      assert.match(r.headers.get('set-cookie') ?? '', /; Secure/);
    } finally {
      await srv.stop();
      await srv.cleanup();
    }
  });
});
