// Helpers of the browser tests of the staff app's insight pages (dashboard, report,
// model, audit): a server with synthetic answers and staff users with passwords,
// signing in through the app's sign-in page, and reading figures off the pages.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { MODEL, addUser, issueToken, runKaiku, startServer } from './server.mjs';
import { loadModel } from './model.mjs';

export const PASSWORD = 'correct horse battery staple';

// A day in Europe/Helsinki, YYYY-MM-DD, `offset` days from today.
export function day(offset = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(Date.now() + offset * 86400000));
}

// Registers before/after hooks: a data dir with `responses` synthetic answers over the
// last 400 days, a server on it (ctx.model: its model), and `users` ([{login, role, unit}]) with PASSWORD and
// a bearer token each (ctx.tokens[login]). `init(ctx)` runs last inside `before`.
export function useWorkspace(hooks, { responses = 20000, seed = 5, users = [], model = MODEL, init } = {}) {
  const ctx = { srv: null, dataDir: null, tokens: {} };
  hooks.before(async () => {
    ctx.dataDir = await mkdtemp(path.join(tmpdir(), 'kaiku-insight-'));
    if (responses > 0) {
      const gen = await runKaiku(['gen', '--data', ctx.dataDir, '--model', model, '--responses', String(responses),
        '--seed', String(seed), '--from', day(-400), '--to', day(-1)], { timeoutMs: 600000 });
      assert.equal(gen.code, 0, gen.stdout + gen.stderr);
    }
    ctx.srv = await startServer({ dataDir: ctx.dataDir, model });
    ctx.model = await loadModel(ctx.srv);
    for (const u of users) {
      // `unit` may be a function of the served model (ids are never hard-coded).
      const unit = typeof u.unit === 'function' ? u.unit(ctx.model) : u.unit;
      await addUser(ctx.dataDir, { ...u, unit, password: PASSWORD });
      ctx.tokens[u.login] = await issueToken(ctx.dataDir, u.login);
    }
    if (init) await init(ctx);
  });
  hooks.after(async () => {
    try {
      if (ctx.srv) await ctx.srv.stop();
    } finally {
      if (ctx.srv) await ctx.srv.cleanup();
      if (ctx.dataDir && !process.env.KAIKU_KEEP_DATA) await rm(ctx.dataDir, { recursive: true, force: true });
    }
  });
  return ctx;
}

// Signs in through the app's sign-in page (in `lang`, set through the language
// switch's stored choice) and waits for the main navigation.
export async function signIn(page, srv, login, { lang = 'fi', password = PASSWORD } = {}) {
  await page.addInitScript((l) => {
    try {
      if (!localStorage.getItem('kaiku.lang')) localStorage.setItem('kaiku.lang', l);
    } catch {
      // ignore
    }
  }, lang);
  await page.goto(`${srv.url}/app/`);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('main form button[type="submit"]').first().click();
  await page.locator('nav.main-nav').waitFor({ timeout: 20000 });
}

// Goes to an app path and waits until every dashboard section has loaded.
export async function openDashboard(page, srv, query = '') {
  await page.goto(`${srv.url}/app/dashboard${query}`);
  await dashboardLoaded(page);
}

export async function dashboardLoaded(page) {
  await page.locator('[data-section="drilldown"] .drill-table[aria-busy="false"]').waitFor({ timeout: 30000 });
  await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0, null, { timeout: 30000 });
}

// JSON of GET /api/v1/reports/indicators with `params` as `token`.
export async function indicators(srv, token, params) {
  const r = await srv.api('GET', `/api/v1/reports/indicators?${new URLSearchParams(params)}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

// A value as the app shows it (whole numbers; shares with " %").
export function shown(lang, kind, value) {
  const s = new Intl.NumberFormat(LOCALES[lang], { minimumFractionDigits: 0, maximumFractionDigits: 0 }).format(value);
  return kind === 'nps' || kind === 'count' ? s : `${s} %`;
}

export function fewerThan(lang, n) {
  return { fi: `alle ${n} vastausta`, sv: `färre än ${n} svar`, en: `fewer than ${n} answers` }[lang];
}

// Whitespace-normalised text (Intl uses no-break spaces).
export function norm(s) {
  return String(s ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

// The drill-down table's rows as {unit, value, suppressed}: unit from the row's link
// (data-unit) or null for the row of the unit itself.
export async function drillRows(page) {
  return page.locator('[data-section="drilldown"] table tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const a = tr.querySelector('th a[data-unit]');
    const v = tr.querySelector('td span[data-value], td span.suppressed');
    return {
      unit: a ? a.getAttribute('data-unit') : null,
      label: tr.querySelector('th')?.textContent ?? '',
      value: v?.textContent ?? '',
      suppressed: v?.classList.contains('suppressed') ?? false,
    };
  }));
}

// A fresh browser context (own cookies) with a page signed in as `login`.
// `contextOptions` e.g. {bypassCSP: true} for axe, {acceptDownloads: true}.
export async function signedInPage(browser, srv, login, { lang = 'fi', contextOptions = {} } = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  try {
    await signIn(page, srv, login, { lang });
  } catch (e) {
    await context.close();
    throw e;
  }
  return { page, close: () => context.close() };
}
