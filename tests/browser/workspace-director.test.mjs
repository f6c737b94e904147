// A director of the county signs in, sees the management dashboard, drills from the
// county to a service area to a unit through the drill-down table and back up the
// breadcrumb, and every figure checked on the way equals GET /api/v1/reports/indicators
// (suppressed cells as "fewer than N answers", never a number). Also: the period
// picker, and a director of one area who cannot leave it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useBrowser } from '../lib/browser.mjs';
import { areas, childrenOf, countyUnit, loadModel } from '../lib/model.mjs';
import { dashboardLoaded, drillRows, fewerThan, indicators, norm, shown, signedInPage, useWorkspace } from '../lib/insight.mjs';

const bctx = useBrowser({ after });
let model;
let area;
const ctx = useWorkspace({ before, after }, {
  responses: 20000,
  seed: 21,
  users: [{ login: 'dir_county', role: 'director', unit: (m) => countyUnit(m).id }],
  init: async (c) => {
    await bctx.launch();
    model = await loadModel(c.srv);
    area = areas(model).find((a) => childrenOf(model, a.id).length >= 3) ?? areas(model)[0];
    const { addUser, issueToken } = await import('../lib/server.mjs');
    await addUser(c.dataDir, { login: 'dir_area', role: 'director', unit: area.id, password: 'correct horse battery staple' });
    c.tokens.dir_area = await issueToken(c.dataDir, 'dir_area');
  },
});


const name = (id) => model.units.find((u) => u.id === id).name.fi;
const HIDDEN_FI = 'piilotettu pienen luvun suojaamiseksi';

function expectedCell(table, row) {
  if (!row) return 'ei vastauksia';
  if (row.suppressed) return row.reason === 'complementary' ? HIDDEN_FI : fewerThan('fi', table.threshold);
  return shown('fi', table.kind, row.value);
}

// The NPS card equals the API's figure for the unit (last 30 days, adaptive).
async function checkKpi(page, token, unit, extra = {}) {
  const t = await indicators(ctx.srv, token, { indicator: 'nps', unit, compare: 'true', adaptive: 'true', ...extra });
  const text = norm(await page.locator('[data-kpi="nps"] .kpi-value').textContent());
  assert.equal(text, norm(expectedCell(t, t.rows[0])), `NPS card of ${unit}`);
  return t;
}

// Every drill-down row equals the API's row, in the API's order.
async function checkDrill(page, token, unit, extra = {}) {
  const t = await indicators(ctx.srv, token, { indicator: 'nps', unit, group_by: 'unit', compare: 'true', adaptive: 'true', ...extra });
  const rows = await drillRows(page);
  assert.equal(rows.length, t.rows.length, `drill-down rows of ${unit}: ${JSON.stringify(rows)}`);
  t.rows.forEach((r, i) => {
    const id = r.group.unit;
    assert.equal(rows[i].unit, id === unit ? null : id, `row ${i} of ${unit}`);
    assert.equal(norm(rows[i].value), norm(expectedCell(t, r)), `value of ${id} under ${unit}`);
    assert.equal(rows[i].suppressed, r.suppressed, `suppression of ${id}`);
    if (r.suppressed) assert.doesNotMatch(rows[i].value.replace(String(t.threshold), ''), /\d/, 'a suppressed cell shows no number');
  });
  return t;
}

async function breadcrumb(page) {
  return page.locator('nav.breadcrumb li').evaluateAll((lis) => lis.map((li) => ({
    text: li.textContent.trim(),
    link: li.querySelector('a') !== null,
    current: li.querySelector('[aria-current="page"]') !== null,
  })));
}

describe('director: the dashboard and the org drill-down', () => {
  test('county → area → unit → back up, figures equal the API', async () => {
    const token = ctx.tokens.dir_county;
    const county = countyUnit(model).id;
    const { page, close } = await signedInPage(bctx.browser, ctx.srv, 'dir_county');
    try {
      await page.locator('nav.main-nav a[href="/app/dashboard"]').click();
      await dashboardLoaded(page);
      assert.equal(norm(await page.locator('main h1').textContent()), 'Johdon työpöytä');
      await checkKpi(page, token, county);
      await checkDrill(page, token, county);
      assert.deepEqual((await breadcrumb(page)).map((b) => b.text), [name(county)]);

      // The core statements: each row equals its own query.
      const stRows = page.locator('[data-section="overview"] table tbody tr');
      const first = await stRows.first().locator('td').first().textContent();
      const st = await indicators(ctx.srv, token, { indicator: 'thl_help_when_needed', unit: county, compare: 'true', adaptive: 'true' });
      assert.equal(norm(first), norm(expectedCell(st, st.rows[0])), 'first core statement');

      // Down to the area.
      await page.locator(`[data-section="drilldown"] a[data-unit="${area.id}"]`).click();
      await page.waitForURL(new RegExp(`[?&]unit=${area.id}(&|$)`));
      await dashboardLoaded(page);
      await checkKpi(page, token, area.id);
      const at = await checkDrill(page, token, area.id);
      let crumbs = await breadcrumb(page);
      assert.deepEqual(crumbs.map((b) => b.text), [name(county), name(area.id)]);
      assert.ok(crumbs[0].link && crumbs[1].current);

      // Down to a unit of the area (one whose figure is shown, when there is one).
      const target = at.rows.find((r) => r.group.unit !== area.id && !r.suppressed) ?? at.rows.find((r) => r.group.unit !== area.id);
      assert.ok(target, 'the area has units with answers');
      const unit = target.group.unit;
      await page.locator(`[data-section="drilldown"] a[data-unit="${unit}"]`).click();
      await page.waitForURL(new RegExp(`[?&]unit=${unit}(&|$)`));
      await dashboardLoaded(page);
      await checkKpi(page, token, unit);
      await checkDrill(page, token, unit);
      crumbs = await breadcrumb(page);
      assert.deepEqual(crumbs.map((b) => b.text), [name(county), name(area.id), name(unit)]);

      // Back up through the breadcrumb.
      await page.locator('nav.breadcrumb a', { hasText: name(county) }).click();
      await page.waitForURL(new RegExp(`[?&]unit=${county}(&|$)`));
      await dashboardLoaded(page);
      await checkKpi(page, token, county);
    } finally {
      await close();
    }
  });

  test('the period picker: a month with its comparison', async () => {
    const token = ctx.tokens.dir_county;
    const county = countyUnit(model).id;
    const { page, close } = await signedInPage(bctx.browser, ctx.srv, 'dir_county');
    try {
      await page.goto(`${ctx.srv.url}/app/dashboard`);
      await dashboardLoaded(page);
      // The previous calendar month.
      const now = new Date();
      const prev = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));
      const month = prev.toISOString().slice(0, 7);
      const last = new Date(Date.UTC(prev.getUTCFullYear(), prev.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
      await page.locator('form.dash-controls select[name="period"]').selectOption('month');
      await page.locator('form.dash-controls input[name="month"]').fill(month);
      await page.locator('form.dash-controls button[type="submit"]').click();
      await page.waitForURL(/period=month/);
      await dashboardLoaded(page);
      const t = await checkKpi(page, token, county, { from: `${month}-01`, to: last });
      // The change from the previous period is shown as the API gives it.
      const prevRow = t.rows[0]?.previous;
      if (prevRow && !prevRow.suppressed && prevRow.change !== null) {
        const cardText = norm(await page.locator('[data-kpi="nps"]').textContent());
        const rounded = Math.round(prevRow.change);
        const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '±';
        assert.ok(cardText.includes(`${sign}${Math.abs(rounded)}`), `change ${sign}${Math.abs(rounded)} in "${cardText}"`);
        if (prevRow.significant) assert.match(cardText, /tilastollisesti merkitsevä/);
      }
      // The drill-down uses the month too.
      await checkDrill(page, token, county, { from: `${month}-01`, to: last });

      // The printable monthly report of that month.
      await page.locator('p.report-link a').click();
      await page.waitForURL(new RegExp(`/app/report\\?unit=${county}&month=${month}`));
      await page.locator('.report-page').waitFor({ timeout: 30000 });
      const rt = await indicators(ctx.srv, token, { indicator: 'nps', unit: county, from: `${month}-01`, to: last, compare: 'true' });
      assert.equal(norm(await page.locator('.report-page [data-kpi="nps"] .kpi-value').textContent()), norm(expectedCell(rt, rt.rows[0])));
      const trendRows = await page.locator('.report-page table').nth(1).locator('tbody tr').count();
      const trend = await indicators(ctx.srv, token, { indicator: 'nps', unit: county, group_by: 'month', from: `${new Date(Date.UTC(prev.getUTCFullYear() - 1, prev.getUTCMonth(), 1)).toISOString().slice(0, 10)}`, to: last });
      assert.equal(trendRows, trend.rows.length, 'the report has the 13-month trend table');
      assert.equal(await page.locator('main button', { hasText: 'Tulosta' }).count(), 1);
      // Printed: no header, controls or export buttons.
      await page.emulateMedia({ media: 'print' });
      assert.ok(await page.locator('.report-controls').isHidden());
      assert.ok(await page.locator('.report-page .export-buttons').first().isHidden());
      assert.ok(await page.locator('.report-page [data-kpi="nps"]').isVisible());
    } finally {
      await close();
    }
  });

  test('a director of one area stays in it', async () => {
    const county = countyUnit(model).id;
    const { page, close } = await signedInPage(bctx.browser, ctx.srv, 'dir_area');
    try {
      await page.goto(`${ctx.srv.url}/app/dashboard?unit=${county}`);
      await dashboardLoaded(page);
      assert.match(norm(await page.locator('main').textContent()), /ei kuulu alueeseesi/);
      assert.deepEqual((await breadcrumb(page)).map((b) => b.text), [name(area.id)]);
      const options = await page.locator('form.dash-controls select[name="unit"] option').evaluateAll((os) => os.map((o) => o.value));
      assert.ok(!options.includes(county), 'the county is not offered');
      assert.equal(options[0], area.id);
      await checkKpi(page, ctx.tokens.dir_area, area.id);
      // The API refuses the county too.
      const r = await ctx.srv.api('GET', `/api/v1/reports/indicators?unit=${county}`, { token: ctx.tokens.dir_area });
      assert.equal(r.status, 403);
    } finally {
      await close();
    }
  });
});
