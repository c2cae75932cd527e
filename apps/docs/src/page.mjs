// Post-processing of a page that `redocly build-docs --inlineBundle` wrote: it must work offline and never
// fetch from another host.

// Redoc's "API docs by Redocly" badge loads its logo from Redocly's CDN; an inline SVG says the same offline.
const LOGO = `data:image/svg+xml,${encodeURIComponent(
  "<svg xmlns='http://www.w3.org/2000/svg' width='48' height='14'><text x='0' y='11' font-family='sans-serif' font-size='11' fill='#555'>Redocly</text></svg>",
)}`;
const CDN_LOGOS = ['https://cdn.redoc.ly/redoc/logo-mini-full.svg', 'https://cdn.redoc.ly/redoc/logo-mini.svg'];

export function neutraliseOffHost(html) {
  for (const url of CDN_LOGOS) {
    // A Redoc upgrade that moves the logo must fail the build, not silently fetch again.
    if (!html.includes(url)) throw new Error(`expected Redoc's logo URL ${url} in the page; check the Redoc upgrade`);
    html = html.split(url).join(LOGO);
  }
  // Anything that would still load from elsewhere: a script/link/img pointing off the page.
  const external = html.match(/<(?:script|link|img)\b[^>]*\b(?:src|href)=["']?(?:https?:)?\/\/[^"'\s>]+/gi);
  if (external) throw new Error(`the page still loads from another host: ${external.join(', ')}`);
  if (html.includes('cdn.redoc.ly')) throw new Error('the page still references cdn.redoc.ly');
  return html;
}
