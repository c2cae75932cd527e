// Module hook for src/ssr-hooks.mjs: patches the Redocly CLI chunk that renders the page.
import { pathToFileURL } from 'node:url';
import { REDOCLY_CHUNKS, patchHooks } from './renderer.mjs';

const chunks = pathToFileURL(REDOCLY_CHUNKS).href;

export async function load(url, context, next) {
  const result = await next(url, context);
  if (!url.startsWith(chunks) || url.endsWith('/redoc.standalone.js')) return result;
  const source = String(result.source);
  return source.includes('useTranslate:()=>({translate:') ? { ...result, source: patchHooks(source) } : result;
}
