// Redoc 3 as the site uses it: one renderer file shared by both language pages, and two hooks that Redoc has no
// option for. Each patch must match exactly once, so a Redoc upgrade that moves the code fails the build instead of
// silently dropping a translation or a sample.
//
//   globalThis.__redocLabels    key -> text for Redoc's own labels ("Request", "Copy", ...); Redoc looks every label
//                               up by key and falls back to its English text, but its standalone build has no way to
//                               pass a dictionary in.
//   globalThis.__docsSampleFor  (source, exampleKey) -> the part of an x-codeSamples source for the example chosen
//                               in the panel's picker (src/sample-for-example.mjs).
//
// The same patches are applied to the server-side render (`redocly build-docs`, through scripts/ssr-hooks.mjs) and
// to the browser's renderer, so the hydrated page matches the pre-rendered one.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
export const REDOCLY_CHUNKS = join(dirname(require.resolve('@redocly/cli/package.json')), 'lib/chunks');
const STANDALONE = join(REDOCLY_CHUNKS, 'redoc.standalone.js');

function replaceOnce(source, pattern, replacement, what) {
  const found = source.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))?.length ?? 0;
  if (found !== 1) throw new Error(`Redoc patch "${what}": expected 1 match, found ${found}; check the @redocly/cli upgrade (src/renderer.mjs)`);
  return source.replace(pattern, replacement);
}

/** The label and sample hooks, for either Redoc build (the CLI's server-side chunk or the browser's standalone). */
export function patchHooks(source) {
  source = replaceOnce(
    source,
    /useTranslate:\(\)=>\(\{translate:\(e,t\)=>(\(typeof t==(["`])string\2\?t:t\?\.defaultValue\)\|\|e\|\|(?:""|``))\}\)/,
    'useTranslate:()=>({translate:(e,t)=>globalThis.__redocLabels?.[e]??($1)})',
    'labels',
  );
  // In the request-samples panel: the shown source of a language, memoised on (language, samples, translate); it
  // becomes the chosen example's part of it, memoised on the example too.
  return replaceOnce(
    source,
    /,(\w+)=(\w+)\?(\w+)\[\2\]\?\.key\?\?\2:void 0,(\w+)=\(0,(\w+)\.useMemo\)\(\(\)=>(\w+),\[\6\]\),(\w+)=\(0,\5\.useMemo\)\(\(\)=>\{if\((\w+)===(["`])payload\9\)return(?:""|``);let (\w+)=(\w+)\?\.find\((\w+)=>(\w+)\(\12\)===\8\);return \10\?\10\.source:(.*?)\},\[\8,\11,(\w+)\]\)/,
    ',$1=$2?$3[$2]?.key??$2:void 0,$4=(0,$5.useMemo)(()=>$6,[$6]),$7=(0,$5.useMemo)(()=>{if($8===$9payload$9)return"";let $10=$11?.find($12=>$13($12)===$8);return $10?(globalThis.__docsSampleFor?.($10.source,$1)??$10.source):$14},[$8,$11,$15,$1])',
    'samples follow the example picker',
  );
}

// Redocly's badge loads its logo from Redocly's CDN; an inline SVG says the same offline.
const LOGO = `data:image/svg+xml,${encodeURIComponent(
  "<svg xmlns='http://www.w3.org/2000/svg' width='48' height='14'><text x='0' y='11' font-family='sans-serif' font-size='11' fill='#555'>Redocly</text></svg>",
)}`;
const CDN_LOGOS = ['https://cdn.redoc.ly/redoc/logo-mini-full.svg', 'https://cdn.redoc.ly/redoc/logo-mini.svg'];

/** Replaces the badge's CDN logos with an inline image; fails when they moved. */
export function neutraliseLogos(source) {
  for (const url of CDN_LOGOS) {
    if (!source.includes(url)) throw new Error(`expected Redoc's logo URL ${url} in the renderer; check the Redoc upgrade`);
    source = source.split(url).join(LOGO);
  }
  return source;
}

/**
 * The browser's renderer as a classic script that sets `window.Redoc` (a module script cannot load from file://),
 * with the hooks and without off-host loads. Returns { file, source }: the file name carries a content hash, so the
 * server can let browsers cache it for good.
 */
export function browserRenderer() {
  let source = patchHooks(neutraliseLogos(readFileSync(STANDALONE, 'utf8')));
  // `import.meta` outside a string: two worker paths of the search library, for Node and for a worker option the
  // page does not use. A classic script cannot contain it at all.
  source = replaceOnce(source, /import\.meta\.dirname\+`\/node\/node\.mjs`/, '`/node/node.mjs`', 'classic script: import.meta.dirname');
  source = replaceOnce(source, /(?<!["(])import\.meta\.url/, 'location.href', 'classic script: import.meta.url');
  source = replaceOnce(source, /export\{RedocStandalone,hydrate,init\};\s*$/, 'window.Redoc={RedocStandalone,hydrate,init};\n', 'classic script: export');
  source = `{\n${source}}\n`; // block scope: the bundle's top-level names stay out of the page's global scope
  const version = readFileSync(STANDALONE, 'utf8').match(/Version: (\d+\.\d+\.\d+)/)?.[1] ?? 'x';
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 10);
  return { file: `redoc-${version}.${hash}.js`, source };
}
