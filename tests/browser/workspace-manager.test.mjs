// A unit manager's working day in the staff app, end to end with real components:
// customers leave feedback with contact requests on /palaute (one in the manager's
// unit, one in another unit); the manager signs in through the sign-in page, sees only
// their unit's case, opens the contact request, takes it, replies by SMS — the text
// arrives at the SMPP operator through Kannel — closes the case (the contact details
// are gone, in the app and at the API), records a development action from the case,
// publishes it, and finds it on the public page /sanoitte-teimme/{area}.
// The app runs under the server's real Content-Security-Policy (no bypass).
//
// Skipped when Kannel is not installed. Run:
//   make app && KAIKU_BIN=$PWD/build/kaiku node --test tests/browser/workspace-manager.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { launchBrowser } from '../lib/browser.mjs';
import { loadModel } from '../lib/model.mjs';
import { addUser } from '../lib/server.mjs';
import { person, smsSkip, startSmsStack } from '../lib/sms-stack.mjs';
import { assertAppBuilt, feedbackCase, marker, PASSWORD, ready, signIn, twoUnits } from '../lib/workspace.mjs';

let s;            // the SMS stack (Kaiku + Kannel + SMPP operator)
let browser;
let model;
let admin;
let units;
const customer = person();
const other = person();
const story = {};

describe('a unit manager handles a contact request in the staff app', { skip: smsSkip }, () => {
  before(async () => {
    assertAppBuilt();
    s = await startSmsStack();
    browser = await launchBrowser();
    model = await loadModel(s.srv);
    admin = await s.token('admin');
    units = twoUnits(model);
    story.login = 'manager_a';
    await addUser(s.dataDir, { login: story.login, role: 'unit_manager', unit: units.a.id, password: PASSWORD });
    story.mine = marker('jonotus');
    story.theirs = marker('muualla');
    story.mineId = await feedbackCase(s.srv, admin, {
      unit: units.a.id, phone: customer.national,
      text: `Jonotin puhelimessa tunnin ${story.mine} eikä kukaan vastannut. Soittakaa minulle.`,
    });
    story.theirsId = await feedbackCase(s.srv, admin, {
      unit: units.b.id, phone: other.national,
      text: `Toisen yksikön palaute ${story.theirs}, odotin pitkään.`,
    });
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await s?.stop();
  });

  test('sign in, inbox scope, take, reply by SMS, close, record and publish an action', async () => {
    const context = await browser.newContext({ locale: 'fi-FI' });
    const page = await context.newPage();
    const cspErrors = [];
    const pageErrors = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      // Sign in through the sign-in page: the inbox is the start page.
      await signIn(page, s.srv.url, story.login);
      assert.equal(new URL(page.url()).pathname, '/app/inbox');
      assert.equal(await page.getAttribute('html', 'lang'), 'fi');
      await page.waitForSelector('table.cases');

      // Only the manager's unit: their case is listed, the other unit's is not.
      const mineLink = page.locator(`table.cases a[href="/app/cases/${story.mineId}"]`);
      assert.equal(await mineLink.count(), 1, `case ${story.mineId} of ${units.a.id} not in the inbox`);
      assert.equal(await page.locator(`a[href="/app/cases/${story.theirsId}"]`).count(), 0, `case ${story.theirsId} of ${units.b.id} shown to a manager of ${units.a.id}`);
      assert.ok(!(await page.textContent('main')).includes(story.theirs), 'the other unit\'s text is on the page');
      // Searching for the other unit's text finds nothing either.
      await page.fill('input[name="q"]', story.theirs);
      await page.click('form.filters button[type="submit"]');
      await page.waitForFunction(() => !document.querySelector('.results[aria-busy]'));
      assert.equal(await page.locator('table.cases tbody tr').count(), 0);
      await page.fill('input[name="q"]', story.mine);
      await page.click('form.filters button[type="submit"]');
      await page.waitForSelector(`table.cases a[href="/app/cases/${story.mineId}"]`);
      assert.match(page.url(), new RegExp(`q=${story.mine}`), 'the search is kept in the URL');
      // The other unit's case is refused at its URL too.
      await page.goto(`${s.srv.url}/app/cases/${story.theirsId}`);
      await ready(page);
      assert.equal(await page.locator('main .error').count(), 1, 'another unit\'s case did not show an error');
      assert.ok(!(await page.textContent('main')).includes(story.theirs));

      // Open the contact request.
      await page.goto(`${s.srv.url}/app/inbox`);
      await page.waitForSelector('table.cases');
      await page.click(`table.cases a[href="/app/cases/${story.mineId}"]`);
      await ready(page);
      assert.match(await page.textContent('h1'), new RegExp(`#${story.mineId}`));
      assert.ok(await page.evaluate(() => document.activeElement?.tagName === 'H1'), 'focus is not on the h1 after navigation');
      const caseText = await page.textContent('main');
      assert.ok(caseText.includes(story.mine), 'the feedback text is not shown');
      assert.ok(caseText.includes(customer.subscriber.slice(-4)), 'the contact phone is not shown while the case is open');
      assert.equal(await page.locator('.badge.status-new').count() > 0, true);

      // Take it.
      await page.click('button:text-is("Ota itselleni")');
      await page.waitForSelector('.facts .badge.status-in_handling');
      assert.ok((await page.textContent('.facts')).includes(story.login), 'the handler is not shown after taking');

      // Reply by SMS: the text arrives at the operator, to the number the customer gave.
      const reply = `Hei, kiitos palautteesta (${story.mine}). Soitamme teille huomenna.`;
      await page.check('input[name="channel"][value="sms"]');
      await page.fill('.reply-form textarea[name="text"]', reply);
      await page.click('.reply-form button[type="submit"]');
      const sms = await s.op.waitForMessage((m) => m.text.includes(story.mine), 30000);
      assert.equal(sms.text, reply);
      assert.ok(sms.to.replace(/\D/g, '').endsWith(customer.subscriber), `SMS went to ${sms.to}, not to ${customer.phone}`);
      assert.equal(s.op.messages.filter((m) => m.to.replace(/\D/g, '').endsWith(other.subscriber)).length, 0);
      await page.waitForSelector('.facts .badge.status-answered');
      assert.ok((await page.textContent('.history')).includes(reply), 'the reply is not in the history');

      // Close: the contact details are deleted.
      await page.click('button[name="status"][value="closed"]');
      await page.waitForSelector('.facts .badge.status-closed');
      const closedText = await page.textContent('main');
      assert.ok(!closedText.includes(customer.subscriber.slice(-6)), 'the phone number is still on the page after closing');
      assert.equal(await page.locator('section.contact dl').count(), 0);
      const api = await s.srv.api('GET', `/api/v1/cases/${story.mineId}`, { token: admin });
      assert.equal(api.status, 200, api.text);
      assert.equal(api.body.status, 'closed');
      assert.equal(api.body.contact, null, 'the API still gives the contact details of a closed case');
      assert.ok(!api.text.includes(customer.subscriber), 'the phone number is still in the case');

      // Record a development action from the case, publish it.
      await page.click('.record-link a');
      await page.waitForSelector('form.action-form');
      await ready(page);
      assert.equal(await page.inputValue('input[name="cases"]'), String(story.mineId), 'the case is not prefilled');
      assert.equal(await page.inputValue('select[name="unit"]'), units.a.id, 'the unit is not prefilled');
      const title = `Takaisinsoittopalvelu ${story.mine}`;
      await page.fill('input[name="title.fi"]', title);
      await page.fill('textarea[name="description.fi"]', 'Otimme käyttöön takaisinsoiton: jätä numerosi, soitamme samana päivänä.');
      await page.fill('textarea[name="reason.fi"]', 'Asiakkaat jonottivat puhelimessa liian kauan.');
      await page.check('input[name="published"]');
      // Publishing needs the Swedish title: the form says so first.
      await page.click('form.action-form button[type="submit"]');
      await page.waitForSelector('.error-summary');
      await page.fill('input[name="title.sv"]', `Återuppringning ${story.mine}`);
      await page.fill('textarea[name="description.sv"]', 'Vi införde återuppringning: lämna ditt nummer, vi ringer samma dag.');
      await page.click('form.action-form button[type="submit"]');
      await page.waitForSelector('table.actions-table');
      await ready(page);
      assert.equal(new URL(page.url()).pathname, '/app/actions');
      const row = page.locator('table.actions-table tbody tr', { hasText: title });
      assert.equal(await row.count(), 1, 'the saved action is not listed');
      assert.ok((await row.textContent()).includes(`#${story.mineId}`), 'the linked case is not listed');

      const actions = await s.srv.api('GET', '/api/v1/actions', { token: admin });
      assert.equal(actions.status, 200, actions.text);
      const list = Array.isArray(actions.body) ? actions.body : (actions.body.actions ?? actions.body.items);
      const saved = list.find((a) => a.title?.fi === title);
      assert.ok(saved, 'the action is not in GET /api/v1/actions');
      assert.equal(saved.published, true);
      assert.deepEqual(saved.cases, [story.mineId]);
      assert.equal(saved.unit, units.a.id);

      // The public page of the area (and of the unit) lists it, without signing in.
      for (const area of [units.area, units.a.id]) {
        const pub = await fetch(`${s.srv.url}/sanoitte-teimme/${area}`);
        assert.equal(pub.status, 200, `/sanoitte-teimme/${area}: ${pub.status}`);
        const html = await pub.text();
        assert.ok(html.includes(title), `/sanoitte-teimme/${area} does not list "${title}"`);
        assert.ok(!html.includes(customer.subscriber), 'contact details on the public page');
      }
      const sv = await fetch(`${s.srv.url}/ni-sade-vi-gjorde/${units.area}`);
      assert.ok((await sv.text()).includes(`Återuppringning ${story.mine}`), 'the Swedish public page does not list the action');

      // The app link to the public page works from the actions page.
      const href = await page.getAttribute('a[href^="/sanoitte-teimme/"]', 'href');
      assert.ok(href, 'no link to the public page');
      await page.goto(s.srv.url + href);
      assert.ok((await page.textContent('body')).includes(title));

      // Sign out: the app shows the sign-in page, the API refuses the old session.
      await page.goto(`${s.srv.url}/app/inbox`);
      await ready(page);
      await page.click('.user-menu summary');
      await page.click('.user-menu button:text-is("Kirjaudu ulos")');
      await page.waitForSelector('form.login-form');
      const after = await page.evaluate(async () => (await fetch('/api/v1/session')).status);
      assert.equal(after, 401);

      assert.deepEqual(cspErrors, [], 'Content-Security-Policy violations');
      assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
    } catch (e) {
      e.message += `\n${await s.context()}`;
      throw e;
    } finally {
      await context.close();
    }
  });
});
