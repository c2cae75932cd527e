// Checks that keep the Chinese overlay honest: every action still hits something in the English document, and
// every English description, summary and title has a Chinese counterpart after the overlay is applied.
import { query } from 'jsonpath-rfc9535';

const TEXT_KEYS = new Set(['description', 'summary', 'title']);
// Data, not prose: example payloads, schema examples, generated samples.
const SKIP_KEYS = new Set(['value', 'example', 'x-codeSamples', 'default', 'enum', 'const']);
const HAN = /\p{Script=Han}/u;
// What a translation may change: prose, and Redoc's display name for tags (whose `name` is an identifier).
const TRANSLATABLE = new Set([...TEXT_KEYS, 'x-displayName']);

/** `$.a['x-b'][0]` from path segments (RFC 9535 normalized-path style). */
export function toJsonPath(segments) {
  return (
    '$' +
    segments
      .map((s) =>
        typeof s === 'number' ? `[${s}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `.${s}` : `['${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`,
      )
      .join('')
  );
}

/** Every prose string in the document: [{ segments, key, text }]. */
export function collectTexts(doc) {
  const found = [];
  const walk = (node, segments) => {
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, [...segments, i]));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (SKIP_KEYS.has(key)) continue;
      // A schema's `examples` is a list of values; a media type's `examples` is a map of Example objects.
      if (key === 'examples' && Array.isArray(value)) continue;
      if (TEXT_KEYS.has(key) && typeof value === 'string' && value.trim()) found.push({ segments, key, text: value });
      else walk(value, [...segments, key]);
    }
  };
  walk(doc, []);
  return found;
}

const at = (doc, segments) => segments.reduce((node, s) => node?.[s], doc);

/** Overlay actions whose target matches nothing, or that would add text the English document no longer has. */
export function staleActions(enDoc, overlay) {
  const problems = [];
  for (const [i, action] of (overlay.actions ?? []).entries()) {
    const where = `action ${i + 1} (${action.target})`;
    if (action.remove) {
      problems.push(`${where}: a translation overlay only updates; remove it`);
      continue;
    }
    let nodes;
    try {
      nodes = query(enDoc, action.target);
    } catch (e) {
      problems.push(`${where}: not a valid JSONPath: ${e.message}`);
      continue;
    }
    if (nodes.length === 0) {
      problems.push(`${where}: matches nothing in the English document (renamed or removed?)`);
      continue;
    }
    for (const key of Object.keys(action.update ?? {})) {
      if (!TRANSLATABLE.has(key)) {
        problems.push(`${where}: changes \`${key}\`; a translation changes only ${[...TRANSLATABLE].join(', ')}`);
        continue;
      }
      if (key === 'x-displayName') continue; // added on purpose: tags have none in English
      const missing = nodes.filter((n) => !n || typeof n !== 'object' || !(key in n));
      if (missing.length) problems.push(`${where}: translates \`${key}\`, which the English document no longer has there`);
    }
  }
  return problems;
}

/** English texts with no Chinese counterpart in zhDoc, plus tags without a translated x-displayName. */
export function untranslated(enDoc, zhDoc) {
  const missing = collectTexts(enDoc).filter(({ segments, key, text }) => {
    const zh = at(zhDoc, segments)?.[key];
    return typeof zh !== 'string' || zh === text || !HAN.test(zh);
  });
  for (const [i, tag] of (zhDoc.tags ?? []).entries()) {
    if (!HAN.test(tag['x-displayName'] ?? '')) missing.push({ segments: ['tags', i], key: 'x-displayName', text: tag.name });
  }
  return missing;
}

/** Ready-to-paste overlay actions for the missing texts, grouped by target. */
export function stubActions(missing) {
  const byTarget = new Map();
  for (const { segments, key, text } of missing) {
    const target = toJsonPath(segments);
    if (!byTarget.has(target)) byTarget.set(target, []);
    byTarget.get(target).push(`      ${key}: TODO  # ${text.replace(/\s+/g, ' ').slice(0, 100)}`);
  }
  return [...byTarget].map(([target, lines]) => `  - target: "${target}"\n    update:\n${lines.join('\n')}`).join('\n');
}
