// Preloaded into `redocly build-docs` (node --import): its server-side render gets the same label dictionary and
// sample hook as the page (src/renderer.mjs), so the hydrated page matches the pre-rendered one.
import { register } from 'node:module';
import { sampleForExample } from './sample-for-example.mjs';

globalThis.__redocLabels = process.env.DOCS_REDOC_LABELS ? JSON.parse(process.env.DOCS_REDOC_LABELS) : undefined;
globalThis.__docsSampleFor = sampleForExample;
register('./ssr-hooks-loader.mjs', import.meta.url);
