// The built site (dist/) and the static server that `pnpm start` and the browser test use.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { neutraliseOffHost } from '../src/page.mjs';
import { serveDocs } from '../scripts/serve.mjs';
import { PAGES, dist, operations, pageDefinition } from './support';

const specDist = join(dirname(createRequire(import.meta.url).resolve('@easemob-import/spec/package.json')), 'dist');

describe('dist/', () => {
  test('holds one page per language and the bundle, byte for byte', () => {
    for (const { file } of PAGES) expect(existsSync(join(dist, file)), file).toBe(true);
    for (const f of ['openapi.yaml', 'openapi.json']) expect(readFileSync(join(dist, f))).toEqual(readFileSync(join(specDist, f)));
  });

  test.each(PAGES)('the $code page is self-contained: Redoc inline, nothing loaded from another host', ({ code, file }) => {
    const html = readFileSync(join(dist, file), 'utf8');
    expect(html).toMatch(new RegExp(`<html lang="${code}">`));
    expect(html).not.toContain('cdn.redoc.ly');
    expect(html).not.toMatch(/<(script|link|img)\b[^>]*\b(src|href)=["']?(https?:)?\/\//i);
    expect(html).toContain('<link rel="icon" href="data:,">'); // or the browser asks the server for /favicon.ico
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

  test.each(PAGES)('the $code page documents the three operations with samples', ({ file }) => {
    const ops = operations(pageDefinition(file));
    expect(ops.map((o) => o.operationId).sort()).toEqual(['getAppToken', 'importGroupMessage', 'importUserMessage']);
    for (const op of ops) expect(op['x-codeSamples']).toHaveLength(2);
  });
});

describe('neutraliseOffHost', () => {
  const logos = 'https://cdn.redoc.ly/redoc/logo-mini-full.svg https://cdn.redoc.ly/redoc/logo-mini.svg';
  test('replaces the Redocly badge logo with an inline image', () => {
    expect(neutraliseOffHost(`<script>${logos}</script>`)).toMatch(/^<script>data:image\/svg\+xml,\S+ data:image\/svg\+xml,\S+<\/script>$/);
  });
  test('fails when a Redoc upgrade moved the logo, or the page loads anything from another host', () => {
    expect(() => neutraliseOffHost('<script></script>')).toThrow(/check the Redoc upgrade/);
    expect(() => neutraliseOffHost(`${logos}<script src="https://cdn.example.com/x.js"></script>`)).toThrow(/loads from another host/);
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
      for (const path of ['/missing.html', '/%2e%2e/package.json', '/..%2fpackage.json', '/%E0%A4%A']) expect((await get(path)).status, path).toBe(404);
    } finally {
      await close();
    }
    await expect(fetch(url)).rejects.toThrow(); // the port is free again
  });
});
