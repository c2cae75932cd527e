// The site as a reader sees it, in headless Chromium (Debian's package, driven by playwright-core), in both languages
// at desktop (1400 px) and phone (390 px) widths: the operations render, code samples follow the example picker,
// Redoc's labels are in the page's language, the layout keeps text readable, search text is clean, the language
// switch keeps the operation, and nothing is fetched from another host. Screenshots and figures go to
// test-artifacts/ (printed at the end); the figures include the stock renderer on the same bundle as a baseline.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, type BrowserContext, type Locator, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serveDocs } from '../scripts/serve.mjs';
import { REDOC_LABELS } from '../src/labels.mjs';
import { PAGES, dist, operations, pageDefinition, requestExamples, root } from './support';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// DESIGN.md: no sandbox as root, no GPU, and none of Chromium's own background traffic.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const MESSAGE_TYPES = ['txt', 'img', 'audio', 'video', 'file', 'loc', 'cmd', 'custom'];
const WIDTHS = [
  { device: 'desktop', width: 1400, height: 900 },
  { device: 'phone', width: 390, height: 844 },
] as const;
const artifacts = join(root, 'test-artifacts');
const require = createRequire(import.meta.url);

// Redoc's labels that the Chinese page must show translated, and their English text: on an operation, and on the
// overview at the top.
const OVERVIEW_LABELS: [key: string, en: string][] = [['info.title', 'Overview'], ['servers.title', 'Servers'], ['info.license', 'License']];
const LABELS: [key: string, en: string][] = [
  ['request', 'Request'], ['path', 'Path'], ['body', 'Body'], ['required', 'required'], ['example', 'Example'],
  ['security', 'Security'], ['viewSecurityDetails', 'View security details'], ['openapi.expandAll', 'Expand all'],
  ['page.actions.copyButtonText', 'Copy'], ['responses', 'Responses'],
];

let browser: Browser;
let site: { url: string; close(): Promise<void> };
let stock: { url: string; close(): Promise<void> } | undefined;
let stockDir: string;
interface Load { bytes: number; requests: number; firstContentfulPaintMs: number; interactiveMs: number }
const figures: Record<string, Load> = {};

beforeAll(async () => {
  site = await serveDocs();
  mkdirSync(artifacts, { recursive: true });
  // The baseline: the stock renderer, `redocly build-docs --inlineBundle` of the same bundle, nothing else.
  stockDir = mkdtempSync(join(tmpdir(), 'docs-stock-'));
  const redocly = join(dirname(require.resolve('@redocly/cli/package.json')), 'bin/cli.js');
  const bundle = join(dirname(require.resolve('@easemob-import/spec/package.json')), 'dist/openapi.yaml');
  await promisify(execFile)(process.execPath, [redocly, 'build-docs', bundle, '--inlineBundle', '--lint-config', 'off', '-o', join(stockDir, 'index.html')], {
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  stock = await serveDocs({ root: stockDir });
  // Without Chromium every test below fails (not skips) with this hint.
  if (existsSync(CHROMIUM)) browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await stock?.close();
  rmSync(stockDir, { recursive: true, force: true });
  if (Object.keys(figures).length) {
    writeFileSync(join(artifacts, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    for (const [what, f] of Object.entries(figures)) {
      console.log(`docs ${what}: ${f.bytes} bytes in ${f.requests} request(s), first contentful paint ${f.firstContentfulPaintMs} ms, interactive ${f.interactiveMs} ms`);
    }
  }
  console.log(`docs: screenshots and figures in ${artifacts}`);
});

/** A fresh browser context that records every request and every console error. */
async function open(allowed: (url: string) => boolean, viewport: { width: number; height: number } = WIDTHS[0]) {
  if (!browser) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install Debian's package: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH).`);
  }
  const context = await browser.newContext({ viewport, permissions: ['clipboard-read', 'clipboard-write'] });
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  return {
    context,
    page,
    /** No request left the host and nothing was logged as an error (a hydration mismatch would be one). */
    async finish() {
      await context.close();
      expect(requests.filter((u) => !allowed(u) && !/^(data|blob):/.test(u))).toEqual([]);
      expect(errors).toEqual([]);
    },
  };
}
const onSite = (u: string) => u.startsWith(site.url);

/**
 * Waits until Redoc has hydrated its pre-rendered markup (before that, nothing responds): its search box shows the
 * loading label until then. Returns the page's clock at that moment.
 */
async function ready(page: Page): Promise<number> {
  const handle = await page.waitForFunction(() => {
    const box = document.querySelector('[data-component-name="icons/SearchIcon/SearchIcon"]')?.parentElement;
    return box && !/Loading|加载中/.test(box.textContent!) && performance.now();
  });
  return (await handle.jsonValue()) as number;
}

/** Loads a page in `context` and measures what crossed the network (Chrome's own count) and when it responded. */
async function load(context: BrowserContext, page: Page, url: string): Promise<Load> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => ((bytes += e.encodedDataLength), requests++));
  await page.goto(url);
  const interactiveMs = Math.round(await ready(page));
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
  await cdp.detach();
  return { bytes, requests, firstContentfulPaintMs: Math.round(fcp), interactiveMs };
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

// Redoc's route of an operation: #/<tag as a slug>/<operationId in lower case>, the same in both languages.
const route = (op: { operationId: string; tags?: string[] }) => `#/${op.tags![0].toLowerCase().replace(/\s+/g, '-')}/${op.operationId.toLowerCase()}`;

/** Picks an entry of one of the request panel's menus (language or example), by the button showing `current`. */
async function choose(page: Page, panel: Locator, current: string, entry: string) {
  await panel.locator('button', { hasText: new RegExp(`^${current.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).first().click();
  await page.locator('[role=menuitem]', { hasText: new RegExp(`^${entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).first().click();
}

/** True when no element inside `locator` has text cut off (wider content than box). */
const uncut = (locator: Locator) =>
  locator.evaluate((el) => [el, ...el.querySelectorAll('*')].every((e) => e.scrollWidth <= e.clientWidth + 1 || getComputedStyle(e).overflowX !== 'hidden'));

describe.each(PAGES)('the $code page in Chromium', ({ code, file, path }) => {
  const doc = pageDefinition(file);
  const ops = operations(doc);
  const labels = (REDOC_LABELS as Record<string, Record<string, string>>)[code];
  const label = (key: string, en: string) => labels?.[key] ?? en;

  test('renders the introduction, the three operations and all eight message types in the request schema', async () => {
    const { page, finish } = await open(onSite);
    await page.goto(site.url + path);
    await ready(page);
    expect(await page.locator('html').getAttribute('lang')).toBe(code);
    await expect.poll(() => page.locator('main h1').first().innerText(), { timeout: 15_000 }).toContain(doc.info.title);
    expect(ops).toHaveLength(3);
    for (const op of ops) {
      await showOperation(page, doc, op);
      const main = await page.locator('main').innerText();
      if (op.operationId !== 'getAppToken') for (const type of MESSAGE_TYPES) expect(main, `${op.operationId} lists ${type}`).toContain(`"${type}"`);
    }
    await finish();
  });

  test('the Overview links to nothing that does not exist', async () => {
    const { page, finish } = await open(onSite);
    await page.goto(site.url + path);
    await ready(page);
    const links = await page.locator('a[href^="http"]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links.filter((l) => /github\.com\/easemob-import\//.test(l))).toEqual([]);
    await finish();
  });

  describe.each(WIDTHS)('at $width px ($device)', ({ device, width, height }) => {
    const shot = (what: string) => join(artifacts, `docs-${code}-${device}-${what}.png`);

    test('search shows words as written, not glued at the source\'s line breaks', async () => {
      const { page, finish } = await open(onSite, { width, height });
      await page.goto(site.url + path);
      await ready(page);
      // On a phone the sidebar, and the search box in it, is behind Redoc's menu button.
      if (device === 'phone') await page.locator('button[aria-label="Open navigation menu"]').click();
      await page.locator('[data-component-name="icons/SearchIcon/SearchIcon"]').first().click();
      // "token\nuntil" in the introduction's Markdown, and the words around a line break in the spec's descriptions.
      const query = code === 'en' ? 'until shortly' : 'App Token';
      await page.keyboard.type(query);
      // The search dialog: the nearest box around the focused search field that holds the results.
      const results = () =>
        page.evaluate((q) => {
          let box = document.activeElement as HTMLElement | null;
          while (box && !(box.innerText ?? '').includes(q)) box = box.parentElement;
          return box?.innerText ?? '';
        }, query);
      await expect.poll(results, { timeout: 15_000 }).toContain(query);
      const text = await results();
      expect(text).not.toMatch(/tokenuntil|callsper|(?<![\w.])until[a-z]/);
      if (code === 'en') expect(text).toMatch(/Keep the token until shortly before/);
      await page.screenshot({ path: shot('search') });
      await finish();
    });

    test('the language switch changes the text and keeps the operation', async () => {
      const { page, finish } = await open(onSite, { width, height });
      const op = ops.find((o) => o.operationId === 'importUserMessage')!;
      await page.goto(site.url + path + route(op));
      await ready(page);
      await expect.poll(() => page.locator('main h1, main h2').allInnerTexts(), { timeout: 15_000 }).toContain(op.summary);
      const hash = new URL(page.url()).hash;

      const other = PAGES.find((p) => p.code !== code)!;
      const otherOp = operations(pageDefinition(other.file)).find((o) => o.operationId === op.operationId)!;
      expect(otherOp.summary).not.toBe(op.summary);
      await page.locator('#site-nav a', { hasText: other.switchLabel }).click();
      await page.waitForURL((u) => u.pathname.endsWith(`/${other.file}`));
      await ready(page);
      expect(await page.locator('html').getAttribute('lang')).toBe(other.code);
      expect(new URL(page.url()).hash).toBe(hash);
      await expect.poll(() => page.locator('main h1, main h2').allInnerTexts(), { timeout: 15_000 }).toContain(otherOp.summary);
      expect(await page.locator('main').innerText()).not.toContain(op.summary);
      await finish();
    });

    test('code samples follow the example picker: one curl command and one client call for the chosen message', async () => {
      const { page, finish } = await open(onSite, { width, height });
      const op = ops.find((o) => o.operationId === 'importUserMessage')!;
      const examples = requestExamples(doc, op);
      const image = examples.find((e) => e.value.type === 'img')!;
      await page.goto(site.url + path + route(op));
      await ready(page);
      const panel = page.locator('.panel-request-samples').first();
      await panel.scrollIntoViewIfNeeded();
      await choose(page, panel, label('payload', 'Payload'), 'curl');
      await choose(page, panel, examples[0].summary, image.summary);
      const code = panel.locator('pre').first();
      await expect.poll(() => code.innerText()).toContain('"type": "img"');
      const curl = await code.innerText();
      expect(curl.match(/^curl /gm)).toHaveLength(1);
      expect(curl).toContain(`(${image.name})`);
      // Long lines wrap inside the panel: nothing runs out of it.
      expect(await code.evaluate((e) => e.scrollWidth <= e.clientWidth + 1)).toBe(true);
      // What the copy button copies is what is shown.
      await panel.locator('.code-block-header button').last().click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(curl.trimEnd());
      await panel.screenshot({ path: shot('sample-curl') });

      await choose(page, panel, 'curl', '@easemob-import/client');
      await expect.poll(() => code.innerText()).toContain("type: 'img'");
      const client = await code.innerText();
      expect(client.match(/await client\.importUserMessage\(/g)).toHaveLength(1);
      expect(client).toContain("import { createImportClient } from '@easemob-import/client';");
      // The language menu shows the whole label, not "@easemob-impor…".
      const menu = panel.locator('button', { hasText: '@easemob-import/client' }).first();
      expect(await menu.innerText()).toBe('@easemob-import/client');
      expect(await uncut(menu)).toBe(true);
      await panel.screenshot({ path: shot('sample-client') });
      await finish();
    });

    test(`Redoc's own labels are in the page's language`, async () => {
      const { page, finish } = await open(onSite, { width, height });
      const op = ops.find((o) => o.operationId === 'importUserMessage')!;
      await page.goto(site.url + path + route(op));
      await ready(page);
      await expect.poll(() => page.locator('main').innerText(), { timeout: 15_000 }).toContain(op.summary);
      const shows = async (pairs: [string, string][]) => {
        const text = await page.locator('body').innerText();
        for (const [key, en] of pairs) {
          expect(text, key).toContain(label(key, en));
          if (labels) expect(text, key).not.toMatch(new RegExp(`(^|\\n)${en}(\\n|$)`));
        }
      };
      await shows(LABELS);
      const search = await page.locator('[data-component-name="icons/SearchIcon/SearchIcon"]').first().locator('..').innerText();
      expect(search).toContain(label('search.navbar.label', 'Search ').trim());
      await page.screenshot({ path: shot('operation') });
      await page.goto(site.url + path);
      await ready(page);
      await expect.poll(() => page.locator('main h1').first().innerText(), { timeout: 15_000 }).toContain(doc.info.title);
      await shows(OVERVIEW_LABELS);
      await page.screenshot({ path: shot('overview') });
      await finish();
    });

    test('an example the spec marks unverified says so in the response panel', async () => {
      const { page, finish } = await open(onSite, { width, height });
      const op = ops.find((o) => o.operationId === 'importUserMessage')!;
      await page.goto(site.url + path + route(op));
      await ready(page);
      const panel = page.locator('.panel-response-samples').first();
      await panel.scrollIntoViewIfNeeded();
      await page.locator('[role=tab]', { hasText: /^\s*403\s*$/ }).first().click();
      await expect.poll(() => panel.innerText(), { timeout: 10_000 }).toContain(code === 'en' ? 'Unverified: ' : '未经核实：');
      await panel.screenshot({ path: shot('unverified') });
      await finish();
    });

    test('the language bar covers nothing, and narrow tables fit without breaking a name', async () => {
      const { page, finish } = await open(onSite, { width, height });
      await page.goto(site.url + path);
      await ready(page);
      // In the flow above Redoc's root: it scrolls away with the page and never lies on a panel or on text.
      const layout = await page.evaluate(() => {
        const nav = document.getElementById('site-nav')!;
        return { position: getComputedStyle(nav).position, navBottom: nav.getBoundingClientRect().bottom, redocTop: document.getElementById('redoc')!.getBoundingClientRect().top };
      });
      expect(layout.position).toBe('static');
      expect(layout.navBottom).toBeLessThanOrEqual(layout.redocTop);
      // Inline code in a table may wrap at a space or after a hyphen (`x-|unverified`), as text does, never inside a
      // name: no two neighbouring characters on different lines unless the first is a space or a hyphen.
      const codes = page.locator('#redoc table code');
      expect(await codes.count()).toBeGreaterThan(5);
      const broken = await codes.evaluateAll((els) =>
        els
          .filter((el) => {
            const range = document.createRange();
            let previous: { top: number; char: string } | undefined;
            for (const text of [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE) as Text[]) {
              for (let i = 0; i < text.length; i++) {
                range.setStart(text, i);
                range.setEnd(text, i + 1);
                const rect = range.getClientRects()[0];
                if (!rect) continue;
                const char = text.data[i];
                if (previous && Math.abs(rect.top - previous.top) > 2 && !/[\s-]/.test(previous.char) && char.trim()) return true;
                previous = { top: rect.top, char };
              }
            }
            return false;
          })
          .map((el) => el.textContent),
      );
      expect(broken).toEqual([]);
      // A table wider than its column (a long name on a phone) scrolls sideways: nothing is cut off.
      const clipped = await page
        .locator('#redoc table')
        .evaluateAll((ts) => ts.filter((t) => t.scrollWidth > t.clientWidth + 1 && !['auto', 'scroll'].includes(getComputedStyle(t).overflowX)).length);
      expect(clipped).toBe(0);
      await page.screenshot({ path: shot('top') });
      await page.locator('#redoc table').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: shot('table') });
      await finish();
    });
  });
});

test('weight and time to interactive per page: the shared renderer comes from cache on the second page; the stock renderer as baseline', async () => {
  for (const [first, second] of [PAGES, [...PAGES].reverse()]) {
    const { context, page, finish } = await open(onSite);
    figures[`${first.code} first visit`] = await load(context, page, site.url + first.path);
    figures[`${second.code} after ${first.code}`] = await load(context, page, site.url + second.path);
    await finish();
  }
  // The stock page is one language and fetches Redocly's logo from its CDN: that request is blocked, not counted.
  const baseline = await open(() => true);
  await baseline.context.route((u) => !u.href.startsWith(stock!.url), (r) => r.abort());
  figures['stock renderer (redocly build-docs --inlineBundle), first visit'] = await load(baseline.context, baseline.page, stock!.url);
  await baseline.context.close();

  for (const { code } of PAGES) {
    // A second page costs its HTML only: the renderer (most of the weight) is not fetched again.
    expect(figures[`${code} after ${PAGES.find((p) => p.code !== code)!.code}`].bytes).toBeLessThan(figures[`${code} first visit`].bytes / 3);
  }
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
