// An analyst exports dashboard tables: the drill-down table to Excel (the file opens
// with exceljs and has the numbers of the table on screen and of the JSON API,
// suppressed cells empty), a channel table to CSV, and the core statements (a table
// of several queries) to Excel; every export is in the audit log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';

import { useBrowser } from '../lib/browser.mjs';
import { countyUnit, loadModel } from '../lib/model.mjs';
import { dashboardLoaded, drillRows, fewerThan, indicators, norm, shown, signIn, useWorkspace } from '../lib/insight.mjs';

const bctx = useBrowser({ after });
let context;
let model;
const ctx = useWorkspace({ before, after }, {
  responses: 15000,
  seed: 8,
  users: [{ login: 'analyst_ada', role: 'analyst' }, { login: 'admin_al', role: 'admin' }],
  init: async (c) => {
    await bctx.launch();
    model = await loadModel(c.srv);
    context = await bctx.browser.newContext({ acceptDownloads: true });
  },
});

after(async () => {
  await context?.close().catch(() => {});
});

async function sheet(bytes) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes);
  const ws = wb.worksheets[0];
  const rows = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const out = [];
    for (let c = 1; c <= Math.max(row.cellCount, ws.columnCount); c++) {
      const v = row.getCell(c).value;
      out.push(v === undefined || v === '' ? null : v);
    }
    rows.push(out);
  }
  return rows;
}

// Rows of a sheet as objects keyed by the header line (the first line whose cells
// include `first`).
function records(rows, first) {
  const hi = rows.findIndex((r) => r.includes(first));
  assert.ok(hi >= 0, `no header line with ${first}: ${JSON.stringify(rows.slice(0, 3))}`);
  const header = rows[hi];
  return rows.slice(hi + 1).filter((r) => r.some((v) => v !== null)).map((r) => Object.fromEntries(header.map((k, i) => [k, r[i]])));
}

// Clicks the export button of the first table inside `scope` (a CSS selector).
async function download(page, scope, format) {
  const [dl] = await Promise.all([
    page.waitForEvent('download', { timeout: 30000 }).catch(async (e) => {
      // The app announces why an export failed: put that in the failure.
      throw new Error(`${e.message}; the app said: ${await page.locator('#live').textContent().catch(() => '?')}`);
    }),
    page.locator(`${scope} .data-table button[data-export="${format}"]`).first().click(),
  ]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), bytes: await readFile(file) };
}

function close(a, b, what) {
  assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-6, `${what}: ${a} vs ${b}`);
}

describe('analyst: exports open with the same numbers', () => {
  test('drill-down to Excel, channels to CSV, statements to Excel; all audited', async () => {
    const county = countyUnit(model).id;
    const token = ctx.tokens.analyst_ada;
    const page = await context.newPage();
    try {
      await signIn(page, ctx.srv, 'analyst_ada');
      await page.goto(`${ctx.srv.url}/app/dashboard`);
      await dashboardLoaded(page);

      // The drill-down table (NPS by unit).
      const api = await indicators(ctx.srv, token, { indicator: 'nps', unit: county, group_by: 'unit', compare: 'true', adaptive: 'true' });
      const onScreen = await drillRows(page);
      const x = await download(page, '[data-section="drilldown"]', 'xlsx');
      assert.match(x.name, /\.xlsx$/);
      const recs = records(await sheet(x.bytes), 'value');
      assert.equal(recs.length, api.rows.length, 'one line per row');
      let shownRows = 0;
      api.rows.forEach((r, i) => {
        const rec = recs[i];
        assert.equal(rec.unit, r.group.unit, `line ${i}`);
        if (r.suppressed) {
          assert.equal(rec.value, null, `suppressed ${r.group.unit} has no value in the file`);
          assert.equal(rec.n, null);
          assert.equal(onScreen[i].suppressed, true);
          assert.ok([fewerThan('fi', api.threshold), 'piilotettu pienen luvun suojaamiseksi'].includes(norm(onScreen[i].value)));
        } else {
          shownRows += 1;
          close(rec.value, r.value, `value of ${r.group.unit}`);
          close(rec.n, r.n, `n of ${r.group.unit}`);
          close(rec.ci_low, r.ci_low, `ci_low of ${r.group.unit}`);
          // The table on screen shows the same number, rounded.
          assert.equal(norm(onScreen[i].value), norm(shown('fi', 'nps', rec.value)), `screen vs file for ${r.group.unit}`);
        }
      });
      assert.ok(shownRows >= 2, 'the test data shows figures');

      // Answers by channel as CSV.
      const vol = await indicators(ctx.srv, token, { indicator: 'responses', unit: county, group_by: 'channel', compare: 'true' });
      const c = await download(page, '[data-section="channels"]', 'csv');
      assert.match(c.name, /\.csv$/);
      const lines = c.bytes.toString('utf8').trim().split(/\r?\n/).map((l) => l.split(','));
      const head = lines[0];
      const body = lines.slice(1);
      assert.equal(body.length, vol.rows.length);
      vol.rows.forEach((r, i) => {
        const rec = Object.fromEntries(head.map((k, j) => [k, body[i][j]]));
        assert.equal(rec.channel, r.group.channel);
        assert.equal(rec.n, r.suppressed ? '' : String(r.n));
      });

      // The core statements: one file from several queries.
      const s = await download(page, '[data-section="overview"] .subsection', 'xlsx');
      const srecs = records(await sheet(s.bytes), 'key');
      const keys = [...new Set(model.surveys.flatMap((sv) => sv.questions.filter((q) => q.type === 'agreement').map((q) => q.key)))];
      for (const key of keys) {
        const t = await indicators(ctx.srv, token, { indicator: key, unit: county, compare: 'true', adaptive: 'true' });
        const rec = srecs.find((r) => r.key === key);
        if (t.rows.length === 0) {
          assert.equal(rec, undefined, `${key}: no line without answers`);
          continue;
        }
        assert.ok(rec, `${key} is in the statements file`);
        if (t.rows[0].suppressed) assert.equal(rec.value, null);
        else close(rec.value, t.rows[0].value, `${key} value`);
      }

      // Audited: the server-side exports are in the log under the analyst's login.
      const audit = await ctx.srv.api('GET', '/api/v1/audit?action=export.xlsx,export.csv&login=analyst_ada&limit=100', { token: ctx.tokens.admin_al });
      assert.equal(audit.status, 200, audit.text);
      const actions = audit.body.entries.map((e) => e.action);
      assert.ok(actions.includes('export.xlsx'), JSON.stringify(audit.body.entries));
      assert.ok(actions.filter((a) => a === 'export.csv').length >= 1 + keys.length, 'the statements file came from audited CSV exports');
    } finally {
      await page.close();
    }
  });
});
