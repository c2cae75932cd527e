// Builds dist/: one Redoc page per language from the spec bundle, the renderer they share, and the bundle itself.
//   bundle (+ intro/en.md) --overlay--> Chinese document --checks--> + x-codeSamples --build-docs--> dist/
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { SAMPLE_LABELS, addCodeSamples } from '../src/code-samples.mjs';
import { staleActions, stubActions, untranslated } from '../src/i18n.mjs';
import { REDOC_LABELS } from '../src/labels.mjs';
import { unwrapDescriptions } from '../src/markdown.mjs';
import { loadSharedRenderer } from '../src/page.mjs';
import { browserRenderer } from '../src/renderer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const specDir = dirname(require.resolve('@easemob-import/spec/package.json'));
const REDOCLY = join(dirname(require.resolve('@redocly/cli/package.json')), 'bin/cli.js');
const DIST = join(root, 'dist');

export const LANGUAGES = [
  { code: 'en', label: 'English', dir: '', navLabel: 'Language and downloads', unverified: { summary: ' (unverified)', description: 'Unverified: ' } },
  {
    code: 'zh-CN', label: '简体中文', dir: 'zh', navLabel: '语言与下载', unverified: { summary: '（未经核实）', description: '未经核实：' },
    overlay: join(specDir, 'overlays/zh-CN.overlay.yaml'),
  },
];

/**
 * Every example the spec marks `x-unverified` says so wherever the page shows it: in its summary (the example
 * picker) and at the start of its description (shown above the example, also when it is the only one).
 */
export function markUnverified(doc, mark) {
  for (const example of Object.values(doc.components?.examples ?? {})) {
    if (!example['x-unverified']) continue;
    if (!example.summary?.endsWith(mark.summary.trim())) example.summary = `${example.summary ?? ''}${mark.summary}`;
    if (!example.description?.startsWith(mark.description.trim())) example.description = `${mark.description}${example.description ?? ''}`.trim();
  }
  return doc;
}

const run = promisify(execFile);
// `hooks` preloads the label and sample hooks into the server-side render (src/ssr-hooks.mjs).
async function redocly(args, { hooks = false, labels } = {}) {
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', DOCS_REDOC_LABELS: labels ? JSON.stringify(labels) : '' };
  const preload = hooks ? ['--import', pathToFileURL(join(root, 'src/ssr-hooks.mjs')).href] : [];
  try {
    await run(process.execPath, [...preload, REDOCLY, ...args], { cwd: root, env, maxBuffer: 64 << 20 });
  } catch (e) {
    throw new Error(`redocly ${args.join(' ')} failed:\n${e.stdout}${e.stderr}`);
  }
}

const pageDir = (lang) => join(DIST, lang.dir);
const up = (lang) => (lang.dir ? '../' : '');
const href = (from, to) => `${up(from)}${to.dir ? `${to.dir}/` : ''}index.html`;

function nav(lang) {
  const languages = LANGUAGES.map(
    (l) => `<a href="${href(lang, l)}" hreflang="${l.code}" lang="${l.code}"${l === lang ? ' aria-current="page"' : ''}>${l.label}</a>`,
  );
  const downloads = ['openapi.yaml', 'openapi.json'].map((f) => `<a href="${up(lang)}${f}" download>${f}</a>`);
  return `<nav id="site-nav" aria-label="${lang.navLabel}">${languages.join('')}<span class="sep">|</span>${downloads.join('')}</nav>`;
}

const alternates = (lang) =>
  LANGUAGES.filter((l) => l !== lang)
    .map((l) => `<link rel="alternate" hreflang="${l.code}" href="${href(lang, l)}">`)
    .join('');

/** The bundle with the docs' extra introduction (intro/en.md) appended to info.description. */
export function englishDocument() {
  const en = parse(readFileSync(join(specDir, 'dist/openapi.yaml'), 'utf8'));
  en.info.description = `${en.info.description.trimEnd()}\n\n${readFileSync(join(root, 'intro/en.md'), 'utf8')}`;
  return en;
}

/**
 * Applies an overlay with Redocly's Overlay 1.0 support and checks the result both ways. Throws, listing every
 * problem and ready-to-paste actions for missing texts; returns the translated document.
 */
export async function translate(en, overlayPath, code = 'zh-CN') {
  const tmp = mkdtempSync(join(tmpdir(), 'easemob-docs-'));
  try {
    writeFileSync(join(tmp, 'en.yaml'), stringify(en));
    const problems = staleActions(en, parse(readFileSync(overlayPath, 'utf8')));
    await redocly(['bundle', join(tmp, 'en.yaml'), '--overlay', overlayPath, '-o', join(tmp, 'out.yaml')]);
    const doc = parse(readFileSync(join(tmp, 'out.yaml'), 'utf8'));
    const missing = untranslated(en, doc);
    if (missing.length) problems.push(`${missing.length} English text(s) without a ${code} counterpart; add these actions:\n${stubActions(missing)}`);
    if (problems.length) throw new Error(`translation check failed for ${overlayPath}:\n${problems.join('\n')}`);
    return doc;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// Redoc's options: the sample languages in order. Redoc keys a language by its label, and shows the payload only
// under the key `payload`: its label stays "Payload" in every language.
function redocOptions() {
  return {
    codeSamples: {
      languages: [
        { lang: 'payload', label: 'Payload' },
        { lang: 'curl', label: SAMPLE_LABELS.curl },
        { lang: 'javascript', label: SAMPLE_LABELS.client },
      ],
    },
  };
}

export async function build() {
  const en = englishDocument();
  const docs = { en };
  for (const lang of LANGUAGES.filter((l) => l.overlay)) docs[lang.code] = await translate(en, lang.overlay, lang.code);

  rmSync(DIST, { recursive: true, force: true });
  const renderer = browserRenderer();
  mkdirSync(join(DIST, 'assets'), { recursive: true });
  writeFileSync(join(DIST, 'assets', renderer.file), renderer.source);
  const tmp = mkdtempSync(join(tmpdir(), 'easemob-docs-'));
  try {
    await Promise.all(
      LANGUAGES.map(async (lang) => {
        const input = join(tmp, `${lang.code}.yaml`);
        const options = join(tmp, `${lang.code}.options.json`);
        const output = join(pageDir(lang), 'index.html');
        // Samples are added per language, after translation, so their comments carry that language's summaries.
        writeFileSync(input, stringify(addCodeSamples(markUnverified(unwrapDescriptions(docs[lang.code]), lang.unverified))));
        const labels = REDOC_LABELS[lang.code];
        writeFileSync(options, JSON.stringify(redocOptions()));
        await redocly(
          [
            'build-docs', input, '--lint-config', 'off', '-o', output,
            '-t', join(root, 'src/template.hbs'),
            '--openapi', options,
            `--templateOptions.lang=${lang.code}`,
            `--templateOptions.nav=${nav(lang)}`,
            `--templateOptions.alternates=${alternates(lang)}`,
          ],
          { hooks: true, labels },
        );
        writeFileSync(output, loadSharedRenderer(readFileSync(output, 'utf8'), { src: `${up(lang)}assets/${renderer.file}`, labels }));
      }),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const f of ['openapi.yaml', 'openapi.json']) copyFileSync(join(specDir, 'dist', f), join(DIST, f));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  build().then(
    () => console.log(`docs: wrote ${LANGUAGES.map((l) => join('dist', l.dir, 'index.html')).join(', ')} in ${Date.now() - started} ms`),
    (e) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
