// Soft line breaks in the document's Markdown become spaces before Redoc sees it. Redoc's search index takes the
// text of each paragraph without its line breaks, so "the token\nuntil" would be found and shown as "tokenuntil".

// Lines that start a block of their own, or must keep their line break: list items, tables, headings, quotes,
// fences, indented code, HTML.
const BLOCK_START = /^(\s*([-*+]\s|\d+[.)]\s|\||#{1,6}\s|>|```|~~~|<)|\s{4,}\S)/;

/** Joins the lines of each paragraph (and list item) with a space; everything else stays as written. */
export function unwrapParagraphs(markdown) {
  const out = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    const fence = /^\s*(```|~~~)/.test(line);
    const previous = out[out.length - 1];
    const joinable =
      !fenced && !fence && previous !== undefined && previous.trim() !== '' && line.trim() !== '' &&
      !/^\s*(\||#{1,6}\s|```|~~~)/.test(previous) && !previous.endsWith('  ') &&
      !BLOCK_START.test(line.replace(/^ {1,3}(?=\S)/, ''));
    if (joinable) out[out.length - 1] = `${previous} ${line.trim()}`;
    else out.push(line);
    if (fence) fenced = !fenced;
  }
  return out.join('\n');
}

/** Applies unwrapParagraphs to every `description` in an OpenAPI document (in place). */
export function unwrapDescriptions(node) {
  if (Array.isArray(node)) node.forEach(unwrapDescriptions);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'description' && typeof value === 'string') node[key] = unwrapParagraphs(value);
      else if (!['value', 'example', 'examples', 'x-codeSamples'].includes(key) || (key === 'examples' && !Array.isArray(value))) unwrapDescriptions(value);
    }
  }
  return node;
}
