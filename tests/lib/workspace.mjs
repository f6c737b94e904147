// Helpers of the staff-app browser tests (tests/browser/workspace-*.test.mjs): the built
// app, cases made the way customers make them (the /palaute form), signing in through
// the app's own sign-in page, and RFC 6238 codes for the TOTP step.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { allResponses, getPage } from './flows.mjs';
import { postFormTo } from './html.mjs';
import { newKey } from './model.mjs';
import { REPO } from './server.mjs';

export const PASSWORD = 'correct horse battery staple';
export const APP_INDEX = path.join(REPO, 'app', 'dist', 'index.html');

// Fails with a clear message when the staff app has not been built.
export function assertAppBuilt() {
  assert.ok(existsSync(APP_INDEX), `${APP_INDEX} is missing: build the staff app first (make app)`);
}

// A leaf unit of the model that has a parent area, and another leaf of a different
// unit (for the scope checks).
export function twoUnits(model) {
  const parents = new Set(model.units.map((u) => u.parent).filter(Boolean));
  const leaves = model.units.filter((u) => !parents.has(u.id) && u.parent);
  const a = leaves.find((u) => u.id === 'tk-merikaupunki') ?? leaves[0];
  const b = leaves.find((u) => u.id !== a.id && u.parent === a.parent) ?? leaves.find((u) => u.id !== a.id);
  return { a, b, area: a.parent };
}

// Sends free-form feedback through /palaute (as a customer does), optionally with a
// contact request by phone and/or e-mail; resolves the stored response (= case) id.
export async function feedbackCase(srv, adminToken, { unit, text, kind = 'complaint', phone, email, name = 'Maija Testinen' }) {
  const { form } = await getPage(srv, '/palaute');
  assert.ok(form, 'no feedback form on /palaute');
  const fields = [...Object.entries(form.hidden), ['unit', unit], ['kind', kind], ['text', text], ['respondent', 'self']];
  if (phone || email) {
    fields.push(['contact.wanted', 'yes'], ['contact.name', name], ['contact.consent', 'yes']);
    if (phone) fields.push(['contact.phone', phone]);
    if (email) fields.push(['contact.email', email]);
  }
  const res = await postFormTo(`${srv.url}/palaute`, fields);
  assert.equal(res.status, 303, `POST /palaute answered ${res.status}: ${(await res.text()).slice(0, 1500)}`);
  const items = (await allResponses(srv, adminToken, { channel: 'feedback' })).filter((i) => Object.values(i.answers ?? {}).some((v) => String(v).includes(text.slice(0, 12))));
  assert.equal(items.length, 1, `feedback "${text}" stored ${items.length} times`);
  return items[0].id;
}

// A unique marker word for texts: lower-case letters only, so that redaction (names,
// numbers) leaves it alone and the full-text search finds it as one word.
export function marker(prefix) {
  const letters = [...newKey()].map((c) => String.fromCharCode(97 + (c.charCodeAt(0) % 26))).join('');
  return `${prefix}${letters.slice(0, 8)}`;
}

// Waits until the shell has rendered the page (main is no longer aria-busy).
export async function ready(page) {
  await page.waitForSelector('main#main:not([aria-busy]) h1', { timeout: 20000 });
}

// Signs in through the app's sign-in page at /app/ (or `path`); the TOTP step is
// answered with `totp()` when the server asks for it.
export async function signIn(page, base, login, { password = PASSWORD, path: p = '/app/', totp } = {}) {
  await page.goto(base + p);
  await page.waitForSelector('form.login-form');
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', password);
  await page.click('form.login-form button[type="submit"]');
  if (totp) {
    await page.waitForSelector('input[name="totp"]:visible');
    await page.fill('input[name="totp"]', totp());
    await page.click('form.login-form button[type="submit"]');
  }
  await page.waitForSelector('nav.main-nav', { timeout: 20000 });
  await ready(page);
}

function base32(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    bits += v.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

// The RFC 6238 code (HMAC-SHA1, 6 digits, 30 s) of `secret` (base32) for the time step
// `step` (default: now).
export function totpCode(secret, step = Math.floor(Date.now() / 30000)) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const n = (mac.readUInt32BE(off) & 0x7fffffff) % 1000000;
  return String(n).padStart(6, '0');
}
