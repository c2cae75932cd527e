// The site as a reader sees it, in headless Chromium (Debian's package, driven by playwright-core): every page
// renders the operations and all message types, switches language, and never reaches beyond the host serving it.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serveDocs } from '../scripts/serve.mjs';
import { PAGES, dist, operations, pageDefinition, root } from './support';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// DESIGN.md: no sandbox as root, no GPU, and none of Chromium's own background traffic.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const MESSAGE_TYPES = ['txt', 'img', 'audio', 'video', 'file', 'loc', 'cmd', 'custom'];
const artifacts = join(root, 'test-artifacts');

let browser: Browser;
let site: { url: string; close(): Promise<void> };
const figures: Record<string, { pageBytes: number; firstContentfulPaintMs: number; loadEventMs: number; interactiveMs: number }> = {};

beforeAll(async () => {
  site = await serveDocs();
  mkdirSync(artifacts, { recursive: true });
  // Without Chromium every test below fails (not skips) with this hint.
  if (existsSync(CHROMIUM)) browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (Object.keys(figures).length) {
    writeFileSync(join(artifacts, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    for (const [code, f] of Object.entries(figures)) {
      console.log(`docs ${code}: page weight ${f.pageBytes} bytes (${(f.pageBytes / 1024 / 1024).toFixed(2)} MiB), first contentful paint ${f.firstContentfulPaintMs} ms, load event ${f.loadEventMs} ms, interactive ${f.interactiveMs} ms`);
    }
  }
});

/** A fresh browser context that records every request, every response size and every console error. */
async function open(allowed: (url: string) => boolean) {
  if (!browser) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install Debian's package: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH).`);
  }
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  let bytes = 0;
  context.on('request', (r) => requests.push(r.url()));
  context.on('response', async (r) => {
    if (r.url().startsWith('http')) bytes += (await r.body().catch(() => Buffer.alloc(0))).length;
  });
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  return {
    page,
    bytes: () => bytes,
    /** No request left the host and nothing was logged as an error. */
    async finish() {
      await context.close();
      expect(requests.filter((u) => !allowed(u) && !/^(data|blob):/.test(u))).toEqual([]);
      expect(errors).toEqual([]);
    },
  };
}
const onSite = (u: string) => u.startsWith(site.url);

/**
 * Waits until Redoc has hydrated its server-rendered markup (before that, links do nothing): its search box says
 * "Loading..." until then. Returns the page's clock at that moment.
 */
async function ready(page: Page): Promise<number> {
  const handle = await page.waitForFunction(() => {
    const box = document.querySelector('[data-component-name="icons/SearchIcon/SearchIcon"]')?.parentElement;
    return box && !box.textContent!.includes('Loading') && performance.now();
  });
  return (await handle.jsonValue()) as number;
}

/** Opens an operation from the sidebar, as a reader would: expand its tag, then click it. */
async function showOperation(page: Page, doc: any, op: { summary: string; tags?: string[] }) {
  const tag = doc.tags.find((t: any) => t.name === op.tags?.[0]);
  // Anchored and case-sensitive: the API title also contains "message import".
  const item = (text: string) =>
    page.locator('[data-component-name="Menu/MenuItem"] a', { hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).first();
  if (!(await item(op.summary).isVisible())) await item(tag['x-displayName'] ?? tag.name).click();
  await item(op.summary).click();
  const summary = op.summary;
  await expect.poll(() => page.locator('main h1, main h2').allInnerTexts(), { timeout: 15_000 }).toContain(summary);
}

describe.each(PAGES)('the $code page in Chromium', ({ code, file, path }) => {
  const doc = pageDefinition(file);
  const ops = operations(doc);

  test('renders the introduction, the three operations and all eight message types in the request schema', async () => {
    const { page, bytes, finish } = await open(onSite);
    await page.goto(site.url + path);
    const interactive = await ready(page);
    const timing = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      load: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd,
    }));
    figures[code] = { pageBytes: bytes(), firstContentfulPaintMs: Math.round(timing.fcp ?? NaN), loadEventMs: Math.round(timing.load), interactiveMs: Math.round(interactive) };
    expect(bytes()).toBe(statSync(join(dist, file)).size); // one self-contained file, nothing else fetched
    expect(await page.locator('html').getAttribute('lang')).toBe(code);
    await expect.poll(() => page.locator('main h1').first().innerText(), { timeout: 15_000 }).toContain(doc.info.title);

    expect(ops).toHaveLength(3);
    for (const op of ops) {
      await showOperation(page, doc, op);
      const main = await page.locator('main').innerText();
      if (op.operationId !== 'getAppToken') for (const type of MESSAGE_TYPES) expect(main, `${op.operationId} lists ${type}`).toContain(`"${type}"`);
      if (op.operationId === 'importUserMessage') await page.screenshot({ path: join(artifacts, `docs-${code}.png`) });
    }
    await finish();
  });

  test('the language switch changes the text and keeps the operation', async () => {
    const { page, finish } = await open(onSite);
    await page.goto(site.url + path);
    await ready(page);
    const op = ops.find((o) => o.operationId === 'importUserMessage')!;
    await showOperation(page, doc, op);
    const route = new URL(page.url()).hash;

    const other = PAGES.find((p) => p.code !== code)!;
    const otherOp = operations(pageDefinition(other.file)).find((o) => o.operationId === op.operationId)!;
    expect(otherOp.summary).not.toBe(op.summary);
    await page.locator('#site-nav a', { hasText: other.switchLabel }).click();
    await page.waitForURL((u) => u.pathname.endsWith(`/${other.file}`));
    await ready(page);
    expect(await page.locator('html').getAttribute('lang')).toBe(other.code);
    expect(new URL(page.url()).hash).toBe(route);
    await expect.poll(() => page.locator('main h1, main h2').allInnerTexts(), { timeout: 15_000 }).toContain(otherOp.summary);
    expect(await page.locator('main').innerText()).not.toContain(op.summary);
    await finish();
  });
});

test('the site works from file:// with no server at all', async () => {
  const { page, finish } = await open((u) => u.startsWith('file://'));
  for (const { file } of PAGES) {
    await page.goto(pathToFileURL(join(dist, file)).href);
    await ready(page);
    const doc = pageDefinition(file);
    await showOperation(page, doc, operations(doc).find((o) => o.operationId === 'importGroupMessage')!);
  }
  await finish();
});
