// The built site (dist/) and the static server that `pnpm start` and the browser test use.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkOffline } from '../src/page.mjs';
import { neutraliseLogos, patchHooks } from '../src/renderer.mjs';
import { sampleForExample } from '../src/sample-for-example.mjs';
import { serveDocs } from '../scripts/serve.mjs';
import { PAGES, dist, operations, pageDefinition } from './support';

const specDist = join(dirname(createRequire(import.meta.url).resolve('@easemob-import/spec/package.json')), 'dist');

describe('dist/', () => {
  test('holds one page per language and the bundle, byte for byte', () => {
    for (const { file } of PAGES) expect(existsSync(join(dist, file)), file).toBe(true);
    for (const f of ['openapi.yaml', 'openapi.json']) expect(readFileSync(join(dist, f))).toEqual(readFileSync(join(specDist, f)));
  });

  test.each(PAGES)('the $code page loads the shared renderer from this site and nothing from another host', ({ code, file }) => {
    const html = readFileSync(join(dist, file), 'utf8');
    expect(html).toMatch(new RegExp(`<html lang="${code}">`));
    const [renderer] = readdirSync(join(dist, 'assets'));
    expect(renderer).toMatch(/^redoc-\d+\.\d+\.\d+\.[0-9a-f]{10}\.js$/);
    expect(html).toContain(`<script defer src="${file.includes('/') ? '../' : ''}assets/${renderer}"></script>`);
    expect(html).not.toMatch(/cdn\.redoc(ly)?\./);
    expect(html).not.toMatch(/<(script|link|img)\b[^>]*\b(src|href)=["']?(https?:)?\/\//i);
    expect(html).toContain('<link rel="icon" href="data:,">'); // or the browser asks the server for /favicon.ico
  });

  test('the renderer file makes no off-host load', () => {
    const [renderer] = readdirSync(join(dist, 'assets'));
    expect(readFileSync(join(dist, 'assets', renderer), 'utf8')).not.toContain('cdn.redoc.ly');
  });

  test.each(PAGES)('the $code page links both languages and the downloadable bundle', ({ code, file }) => {
    const nav = readFileSync(join(dist, file), 'utf8').match(/<nav id="site-nav"[\s\S]*?<\/nav>/)![0];
    const up = file.includes('/') ? '../' : '';
    expect(nav).toContain(`<a href="${up}index.html" hreflang="en"`);
    expect(nav).toContain(`<a href="${up}zh/index.html" hreflang="zh-CN"`);
    expect(nav).toMatch(new RegExp(`hreflang="${code}" lang="${code}" aria-current="page"`));
    expect(nav).toContain(`<a href="${up}openapi.yaml" download>`);
    expect(nav).toContain(`<a href="${up}openapi.json" download>`);
  });

  test.each(PAGES)('the $code page marks every example the spec calls unverified, in the summary its picker shows', ({ code, file }) => {
    const examples = Object.values<any>(pageDefinition(file).components.examples).filter((e) => e['x-unverified']);
    expect(examples.length).toBeGreaterThan(0);
    for (const e of examples) {
      expect(e.summary).toMatch(code === 'en' ? / \(unverified\)$/ : /（未经核实）$/);
      expect(e.description).toMatch(code === 'en' ? /^Unverified: / : /^未经核实：/);
    }
  });

  test.each(PAGES)('the $code page documents the three operations with samples', ({ file }) => {
    const ops = operations(pageDefinition(file));
    expect(ops.map((o) => o.operationId).sort()).toEqual(['getAppToken', 'importGroupMessage', 'importUserMessage']);
    for (const op of ops) expect(op['x-codeSamples']).toHaveLength(2);
  });
});

describe('the page post-processing and the renderer patches', () => {
  const logos = 'https://cdn.redoc.ly/redoc/logo-mini-full.svg https://cdn.redoc.ly/redoc/logo-mini.svg';
  test('replaces the Redocly badge logo with an inline image', () => {
    expect(neutraliseLogos(`x${logos}x`)).toMatch(/^xdata:image\/svg\+xml,\S+ data:image\/svg\+xml,\S+x$/);
  });
  test('fails when a Redoc upgrade moved the logo or the hooks, or the page loads anything from another host', () => {
    expect(() => neutraliseLogos('<script></script>')).toThrow(/check the Redoc upgrade/);
    expect(() => patchHooks('useTranslate:()=>({translate:(e)=>e})')).toThrow(/Redoc patch "labels": expected 1 match, found 0/);
    expect(() => checkOffline('<script src="https://cdn.example.com/x.js"></script>')).toThrow(/loads from another host/);
  });
  test('a sample shows its shared blocks and the chosen example\'s block', () => {
    const source = "import x from 'y';\n\n// Text (txt)\nsend(1);\n\n// Image (img)\nsend(2);";
    expect(sampleForExample(source, 'img')).toBe("import x from 'y';\n\n// Image (img)\nsend(2);");
    expect(sampleForExample('# Text (txt)\ncurl a\n\n# Image (img)\ncurl b', 'txt')).toBe('# Text (txt)\ncurl a');
    expect(sampleForExample(source, 'video')).toBeUndefined(); // the whole source then
  });
});

describe('serveDocs', () => {
  test('serves the pages and the bundle on 127.0.0.1, and nothing outside dist/', async () => {
    const { url, close } = await serveDocs();
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const get = (path: string) => fetch(new URL(path, url), { redirect: 'manual' });
      const home = await get('/');
      expect(home.status).toBe(200);
      expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await home.text()).toContain('<html lang="en">');
      expect((await get('/zh')).headers.get('location')).toBe('/zh/'); // relative links need the slash
      expect(await (await get('/zh/')).text()).toContain('<html lang="zh-CN">');
      const yaml = await get('/openapi.yaml');
      expect(yaml.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
      expect(await yaml.text()).toBe(readFileSync(join(specDist, 'openapi.yaml'), 'utf8'));
      const [renderer] = readdirSync(join(dist, 'assets'));
      const script = await get(`/assets/${renderer}`);
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable'); // its name changes with it
      expect(home.headers.get('cache-control')).toBe('no-cache');
      for (const path of ['/missing.html', '/%2e%2e/package.json', '/..%2fpackage.json', '/%E0%A4%A']) expect((await get(path)).status, path).toBe(404);
    } finally {
      await close();
    }
    await expect(fetch(url)).rejects.toThrow(); // the port is free again
  });
});
