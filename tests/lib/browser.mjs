// Debian's Chromium driven by playwright-core, and axe-core checks.
// Never `npx playwright install`: the system browser is used.
import path from 'node:path';
import { chromium } from 'playwright-core';

import { REPO } from './server.mjs';

export const AXE_PATH = path.join(REPO, 'tests', 'node_modules', 'axe-core', 'axe.min.js');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const CHROMIUM = process.env.KAIKU_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A browser for a test file: call `await bctx.launch()` inside the server's init
// (Node 20 runs root-level `before` hooks concurrently); closed by an `after` hook.
export function useBrowser(hooks) {
  const ctx = {
    browser: null,
    async launch() {
      ctx.browser = await launchBrowser();
      return ctx.browser;
    },
  };
  hooks.after(async () => {
    await ctx.browser?.close();
  });
  return ctx;
}

// Requests that left the server under test (third-party loads) are collected here.
export function watchThirdParty(page, baseUrl) {
  const foreign = [];
  page.on('request', (req) => {
    const u = req.url();
    if (!u.startsWith(baseUrl) && !u.startsWith('data:') && !u.startsWith('about:')) foreign.push(u);
  });
  return foreign;
}

// Runs axe-core on the current page; returns the violations.
// The page's context must be created with bypassCSP: true (axe is injected inline).
export async function axeViolations(page) {
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
    }));
  }, AXE_TAGS);
  return result;
}

// Human-readable violations for an assertion message.
export function formatViolations(violations, where) {
  const lines = [`${violations.length} axe violation(s) on ${where}:`];
  for (const v of violations) {
    lines.push(`- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 5)) {
      lines.push(`    at ${n.target}\n      ${n.html.slice(0, 200)}\n      ${(n.summary ?? '').replace(/\n/g, '\n      ')}`);
    }
    if (v.nodes.length > 5) lines.push(`    … and ${v.nodes.length - 5} more`);
  }
  return lines.join('\n');
}

// Checks (clicks) a radio or checkbox like a person would: on the input, or on its
// label when the input itself is visually hidden behind a styled label.
export async function tick(page, selector) {
  const input = page.locator(selector).first();
  try {
    await input.check({ timeout: 2000 });
  } catch {
    const id = await input.getAttribute('id');
    if (!id) throw new Error(`cannot check ${selector}: hidden and without an id`);
    await page.locator(`label[for="${id}"]`).first().click();
    if (!(await input.isChecked())) throw new Error(`clicking the label of ${selector} did not check it`);
  }
}
