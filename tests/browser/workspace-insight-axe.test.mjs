// axe-core on the staff app's insight pages (dashboard, drill-down to a small unit,
// monthly report, model with diagnostics and a version, audit log) in fi, sv and en,
// with every chart's table alternative opened: zero WCAG 2.1 A/AA violations. (The
// public results and "you said, we did" pages are in axe.test.mjs.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { axeViolations, formatViolations, useBrowser } from '../lib/browser.mjs';
import { MODEL } from '../lib/server.mjs';
import { areas, leafUnits, loadModel } from '../lib/model.mjs';
import { dashboardLoaded, day, signIn, useWorkspace } from '../lib/insight.mjs';

const bctx = useBrowser({ after });
let model;
let brokenDir;
let changedDir;
const contexts = [];
const ctx = useWorkspace({ before, after }, {
  responses: 8000,
  seed: 13,
  users: [{ login: 'axe_admin', role: 'admin' }],
  init: async () => {
    await bctx.launch();
    model = await loadModel(ctx.srv);
    brokenDir = await mkdtemp(path.join(tmpdir(), 'kaiku-axe-model-'));
    changedDir = await mkdtemp(path.join(tmpdir(), 'kaiku-axe-model-'));
    for (const f of await readdir(MODEL)) {
      if (!/\.ya?ml$/.test(f)) continue;
      const text = await readFile(path.join(MODEL, f), 'utf8');
      await writeFile(path.join(brokenDir, f), f === 'touchpoints.yaml' ? text.replace('    journey: avovastaanotto', '    journey: no-such-journey') : text);
      await writeFile(path.join(changedDir, f), f === 'touchpoints.yaml' ? text.replace('name: {fi: Terveysaseman vastaanotto,', 'name: {fi: Vastaanotto,') : text);
    }
  },
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  for (const d of [brokenDir, changedDir]) if (d) await rm(d, { recursive: true, force: true });
});

async function newPage(lang) {
  // axe is injected as an inline script; the app's CSP (rightly) forbids that.
  const c = await bctx.browser.newContext({ bypassCSP: true });
  contexts.push(c);
  const page = await c.newPage();
  await signIn(page, ctx.srv, 'axe_admin', { lang });
  return page;
}

async function check(page, where) {
  await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0, null, { timeout: 30000 });
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => {
    d.open = true;
  }));
  const v = await axeViolations(page);
  assert.equal(v.length, 0, formatViolations(v, `${where} (${page.url()})`));
}

describe('axe-core: the insight pages, WCAG 2.1 A and AA', () => {
  for (const lang of ['fi', 'sv', 'en']) {
    test(`dashboard, report, model, audit (${lang})`, async () => {
      const page = await newPage(lang);
      try {
        await page.goto(`${ctx.srv.url}/app/dashboard`);
        await dashboardLoaded(page);
        await check(page, `dashboard ${lang}`);

        // A small unit: suppressed cells, widened periods, the low-volume notice.
        const leaf = leafUnits(model).at(-1);
        await page.goto(`${ctx.srv.url}/app/dashboard?unit=${leaf.id}&period=custom&from=${day(-200)}&to=${day(-194)}`);
        await dashboardLoaded(page);
        assert.ok(await page.locator('.suppressed').count() > 0, 'the small unit has suppressed cells');
        await check(page, `dashboard small unit ${lang}`);

        await page.goto(`${ctx.srv.url}/app/report?unit=${areas(model)[0].id}`);
        await page.locator('.report-page').waitFor({ timeout: 30000 });
        await check(page, `report ${lang}`);

        await page.goto(`${ctx.srv.url}/app/model`);
        await page.locator('[data-section="versions"] table').waitFor({ timeout: 30000 });
        await page.locator('[data-section="versions"] [data-read]').first().click();
        await page.locator('[data-version]').waitFor({ timeout: 30000 });
        await check(page, `model ${lang}`);
        const files = (await readdir(brokenDir)).map((f) => path.join(brokenDir, f));
        await page.locator('[data-section="publish"] input[type="file"]').setInputFiles(files);
        await page.locator('[data-section="publish"] button[type="submit"]').click();
        await page.locator('[data-check="invalid"]').waitFor({ timeout: 30000 });
        await check(page, `model diagnostics ${lang}`);
        const changed = (await readdir(changedDir)).map((f) => path.join(changedDir, f));
        await page.locator('[data-section="publish"] input[type="file"]').setInputFiles(changed);
        await page.locator('[data-section="publish"] button[type="submit"]').click();
        await page.locator('[data-check="ok"]').waitFor({ timeout: 30000 });
        await page.locator('[data-action="publish"]').click();
        await page.locator('[data-confirm="publish"]').waitFor();
        await check(page, `model diff and confirmation ${lang}`);

        await page.goto(`${ctx.srv.url}/app/audit`);
        await page.locator('.audit-results table').waitFor({ timeout: 30000 });
        await check(page, `audit ${lang}`);
      } finally {
        await page.close();
      }
    });
  }
});
