// Prism lists request violations in the `sl-violations` header as JSON. Past 8 KB it sends
// `Too many violations! [...` cut off mid-entry, which no client can parse. This keeps the header valid JSON:
// the complete entries that fit, then one entry saying that more were left out.

interface Violation {
  location: string[];
  severity?: string;
  code?: string;
  message: string;
}

const MAX_LENGTH = 8 * 1024 - 100; // Prism's own limit for the header
const TRUNCATED = 'Too many violations! ';

/** The complete entries at the start of a JSON array that was cut off. */
function completeEntries(cut: string): Violation[] {
  for (let end = cut.lastIndexOf('}'); end > 0; end = cut.lastIndexOf('}', end - 1)) {
    try {
      return JSON.parse(`${cut.slice(0, end + 1)}]`) as Violation[];
    } catch {
      // not the end of an entry (a brace inside a message): try the previous one
    }
  }
  return [];
}

/** The header value as valid JSON, without the branch selection's bookkeeping entry (`if`) or repeated entries. */
export function trimViolations(header: string): string {
  const truncated = header.startsWith(TRUNCATED);
  let entries: Violation[];
  try {
    entries = truncated ? completeEntries(header.slice(TRUNCATED.length)) : (JSON.parse(header) as Violation[]);
  } catch {
    entries = [{ location: ['request'], message: header }];
  }
  // Drop the branch selection's own entry, and repeats (a field required by every branch is listed twice).
  const seen = new Set<string>();
  entries = entries.filter((v) => v.code !== 'if' && !seen.has(JSON.stringify(v)) && seen.add(JSON.stringify(v)) !== undefined);
  let more = truncated;
  let value = JSON.stringify(entries);
  while (value.length > MAX_LENGTH - 300 && entries.length > 0) {
    entries = entries.slice(0, -1);
    more = true;
    value = JSON.stringify(entries);
  }
  if (!more) return value;
  const note: Violation = { location: ['request'], severity: 'Error', code: 'truncated', message: 'More violations were found than fit in this header; fix these and send again to see the rest.' };
  return JSON.stringify([...entries, note]);
}
