// A CX specialist uploads a changed model folder in the app, sees the diff against the
// current model, publishes it after confirming, and the new version is the one served
// (GET /api/v1/model); a broken folder shows file:line:column diagnostics; earlier
// versions stay readable; a director sees the model but cannot publish.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { useBrowser } from '../lib/browser.mjs';
import { MODEL } from '../lib/server.mjs';
import { loadModel } from '../lib/model.mjs';
import { norm, signedInPage, useWorkspace } from '../lib/insight.mjs';

const bctx = useBrowser({ after });
let model;
let changedDir;
let brokenDir;
const NEW_NAME = 'Terveysaseman vastaanotto – uusi nimi';

async function copyModel(to) {
  for (const f of await readdir(MODEL)) if (/\.ya?ml$/.test(f)) await copyFile(path.join(MODEL, f), path.join(to, f));
  return (await readdir(to)).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(to, f));
}

const ctx = useWorkspace({ before, after }, {
  responses: 2000,
  seed: 3,
  users: [{ login: 'cx_anna', role: 'cx_specialist' }, { login: 'dir_bo', role: 'director', unit: (m) => m.units.find((u) => !u.parent).id }],
  init: async (c) => {
    await bctx.launch();
    model = await loadModel(c.srv);
    changedDir = await mkdtemp(path.join(tmpdir(), 'kaiku-model-changed-'));
    await copyModel(changedDir);
    const tpFile = path.join(changedDir, 'touchpoints.yaml');
    const tp = await readFile(tpFile, 'utf8');
    const renamed = tp.replace('name: {fi: Terveysaseman vastaanotto,', `name: {fi: ${NEW_NAME},`);
    assert.notEqual(renamed, tp, 'the demo touchpoint name to change was found');
    await writeFile(tpFile, renamed);
    const tgFile = path.join(changedDir, 'targets.yaml');
    const tg = await readFile(tgFile, 'utf8');
    await writeFile(tgFile, tg.replace('{unit: lansirannikko, indicator: nps, value: 50}', '{unit: lansirannikko, indicator: nps, value: 52}'));
    brokenDir = await mkdtemp(path.join(tmpdir(), 'kaiku-model-broken-'));
    await copyModel(brokenDir);
    const bf = path.join(brokenDir, 'touchpoints.yaml');
    await writeFile(bf, (await readFile(bf, 'utf8')).replace('    journey: avovastaanotto', '    journey: no-such-journey'));
  },
});

after(async () => {
  for (const d of [changedDir, brokenDir]) if (d) await rm(d, { recursive: true, force: true });
});

async function yamlFiles(dir) {
  return (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(dir, f));
}

describe('CX specialist: a new model version from the app', () => {
  test('a broken folder shows diagnostics and publishes nothing', async () => {
    const { page, close } = await signedInPage(bctx.browser, ctx.srv, 'cx_anna');
    try {
      await page.locator('nav.main-nav a[href="/app/model"]').click();
      await page.locator('[data-section="publish"] input[type="file"]').setInputFiles(await yamlFiles(brokenDir));
      await page.locator('[data-section="publish"] button[type="submit"]').click();
      await page.locator('[data-check="invalid"]').waitFor({ timeout: 20000 });
      const items = await page.locator('ul.diagnostics li').allTextContents();
      assert.ok(items.length >= 1);
      assert.ok(items.some((t) => /touchpoints\.yaml:\d+:\d+/.test(t) && /no-such-journey/.test(t)), items.join('\n'));
      assert.equal(await page.locator('[data-action="publish"]').count(), 0, 'no publish button for an invalid model');
      const served = await loadModel(ctx.srv);
      assert.equal(served.version, model.version);
    } finally {
      await close();
    }
  });

  test('upload, diff, confirm, publish; the new version is served; the old one readable', async () => {
    const { page, close } = await signedInPage(bctx.browser, ctx.srv, 'cx_anna');
    try {
      await page.goto(`${ctx.srv.url}/app/model`);
      assert.equal(norm(await page.locator('[data-model-version]').textContent()), model.version);
      await page.locator('[data-section="publish"] input[type="file"]').setInputFiles(await yamlFiles(changedDir));
      await page.locator('[data-section="publish"] button[type="submit"]').click();
      await page.locator('[data-check="ok"]').waitFor({ timeout: 20000 });
      const tpDiff = norm(await page.locator('[data-diff="touchpoints"]').textContent());
      assert.match(tpDiff, /tk-vastaanotto/, tpDiff);
      const tgDiff = await page.locator('[data-diff="targets"]').count();
      assert.equal(tgDiff, 1, 'the changed target is in the diff');
      // Publish: asks first; cancelling publishes nothing.
      await page.locator('[data-action="publish"]').click();
      await page.locator('.confirm button.secondary').click();
      assert.equal((await loadModel(ctx.srv)).version, model.version);
      await page.locator('[data-action="publish"]').click();
      await page.locator('[data-confirm="publish"]').click();
      const done = page.locator('[data-published]');
      await done.waitFor({ timeout: 20000 });
      const version = await done.getAttribute('data-published');
      assert.notEqual(version, model.version);

      const served = await loadModel(ctx.srv);
      assert.equal(served.version, version, 'GET /api/v1/model serves the published version');
      assert.equal(served.touchpoints.find((t) => t.id === 'tk-vastaanotto').name.fi, NEW_NAME);
      assert.equal(served.targets.find((t) => t.unit === served.county && t.indicator === 'nps').value, 52);

      // The versions: the new one current, the earlier one readable.
      await page.locator(`[data-section="versions"] [data-read="${model.version}"]`).waitFor({ timeout: 20000 });
      const rows = await page.locator('[data-section="versions"] table tbody tr').allTextContents();
      assert.ok(rows.length >= 2, rows.join('\n'));
      assert.ok(rows.some((r) => r.includes(version) && r.includes('✓')), 'the new version is marked current');
      await page.locator(`[data-section="versions"] [data-read="${model.version}"]`).click();
      const view = page.locator(`[data-version="${model.version}"]`);
      await view.waitFor({ timeout: 20000 });
      assert.match(norm(await view.textContent()), new RegExp(`${model.units.length} yksikköä`));

      // After a reload the page shows the new model.
      await page.reload();
      await page.locator('[data-model-version]').waitFor();
      assert.equal(norm(await page.locator('[data-model-version]').textContent()), version);
      assert.match(norm(await page.locator('[data-section="touchpoints"]').textContent()), new RegExp(NEW_NAME));
    } finally {
      await close();
    }
  });

  test('a director sees the model but no upload, and the API refuses a publish', async () => {
    const { page, close } = await signedInPage(bctx.browser, ctx.srv, 'dir_bo');
    try {
      await page.goto(`${ctx.srv.url}/app/model`);
      await page.locator('[data-section="touchpoints"] table').waitFor();
      assert.equal(await page.locator('[data-section="publish"]').count(), 0);
      // Poster and QR links of every touchpoint.
      const served = await loadModel(ctx.srv);
      const tp = served.touchpoints[0];
      assert.equal(await page.locator(`a[href^="/s/${tp.id}/juliste"]`).count(), 1);
      assert.equal(await page.locator(`a[href="/s/${tp.id}/qr.svg"]`).count(), 1);
      const files = {};
      for (const f of await yamlFiles(changedDir)) files[path.basename(f)] = await readFile(f, 'utf8');
      const r = await ctx.srv.api('POST', '/api/v1/models/publish', { token: ctx.tokens.dir_bo, body: { files } });
      assert.equal(r.status, 403, r.text);
    } finally {
      await close();
    }
  });
});
