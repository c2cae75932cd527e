// Post-processing of a page that `redocly build-docs` wrote: it loads the renderer the two languages share from this
// site (not Redocly's CDN), gets its label and sample hooks, and never fetches from another host.
import { sampleForExample } from './sample-for-example.mjs';

const CDN_RENDERER = /https:\/\/cdn\.redocly\.com\/redoc\/v[\d.]+\/bundles\/redoc\.standalone\.js/;

function replaceOnce(html, pattern, replacement, what) {
  const found = html.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
  if (found !== 1) throw new Error(`page: expected one ${what}, found ${found}; check the @redocly/cli upgrade (src/page.mjs)`);
  return html.replace(pattern, replacement);
}

/**
 * Points the page at the shared renderer (`src`, a classic script that sets window.Redoc) and defines the hooks
 * before it runs: `labels` (Redoc's own labels by key, none for English) and the sample picker.
 */
export function loadSharedRenderer(html, { src, labels }) {
  html = replaceOnce(html, new RegExp(`<link rel="modulepreload" href="${CDN_RENDERER.source}"[^>]*>`), '', 'modulepreload of the CDN renderer');
  const hooks = [
    `window.__redocLabels = ${labels ? JSON.stringify(labels) : 'undefined'};`,
    `window.__docsSampleFor = ${sampleForExample.toString()};`,
  ].join('\n');
  // Deferred, like the module script after it that hydrates the page: both run in order once the HTML is parsed.
  html = replaceOnce(
    html,
    new RegExp(`<script type="module">\\s*import \\{ hydrate \\} from "${CDN_RENDERER.source}";`),
    `<script>\n${hooks}\n</script>\n<script defer src="${src}"></script>\n<script type="module">\nconst { hydrate } = window.Redoc;`,
    'import of the CDN renderer',
  );
  return checkOffline(html);
}

/** Fails when the page would still load anything from another host. */
export function checkOffline(html) {
  const external = html.match(/<(?:script|link|img)\b[^>]*\b(?:src|href)=["']?(?:https?:)?\/\/[^"'\s>]+/gi);
  if (external) throw new Error(`the page still loads from another host: ${external.join(', ')}`);
  if (/cdn\.redoc(ly)?\.(ly|com)/.test(html)) throw new Error('the page still references a Redocly CDN');
  return html;
}
