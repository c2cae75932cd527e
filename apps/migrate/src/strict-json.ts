// What JSON.parse accepts silently but an import must not: a key given twice (JSON.parse keeps the last, so
// what was validated could differ from what the author meant), a `__proto__` key (assigning it changes an
// object's prototype instead of adding a field) and nesting deep enough to overflow the stack of anything that
// walks the value afterwards. One linear pass over text JSON.parse already accepted, with no recursion.
import type { Problem } from './schema.js';

/** Deeper values are refused: more than any message needs, and safe for every recursive walk that follows. */
export const MAX_DEPTH = 64;

const pointer = (segments: string[]) => segments.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** The first structural problem of a valid JSON text, or undefined. */
export function structureProblem(text: string): Problem | undefined {
  /** Per open container: its keys so far (objects) or null (arrays). */
  const keys: Array<string[] | null> = []; // arrays: faster than sets for the few keys of an object
  /** Per open array: the index of the current element. */
  const index: number[] = [];
  /** Where each open container below the root sits, as JSON pointer segments. */
  const path: string[] = [];
  let expectKey = false;
  let lastKey = '';
  /** The next backslash at or after the current string (escapes are rare: most strings need no second look). */
  let backslash = text.indexOf('\\');

  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let end = text.indexOf('"', i + 1);
      if (backslash !== -1 && backslash < i) backslash = text.indexOf('\\', i);
      const escaped = backslash !== -1 && backslash < end;
      if (escaped) while (backslashesBefore(text, end) % 2 === 1) end = text.indexOf('"', end + 1);
      if (expectKey) {
        const key: string = escaped ? JSON.parse(text.slice(i, end + 1)) : text.slice(i + 1, end);
        const own = keys[keys.length - 1]!;
        if (key === '__proto__') return { field: pointer([...path, key]), message: 'is not accepted as a key (it would change the object instead of adding a field)' };
        if (own.includes(key)) return { field: pointer([...path, key]), message: 'is given twice in the same object (keep one)' };
        own.push(key);
        lastKey = key;
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      if (keys.length >= MAX_DEPTH) return { field: pointer(path.slice(0, 1)), message: `is nested more than ${MAX_DEPTH} levels deep` };
      if (keys.length > 0) path.push(keys[keys.length - 1] ? lastKey : String(index[index.length - 1]));
      keys.push(c === 0x7b ? [] : null);
      if (c === 0x5b) index.push(0);
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      if (keys.pop() === null) index.pop();
      path.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      if (keys[keys.length - 1]) expectKey = true;
      else index[index.length - 1]++;
    }
  }
  return undefined;
}

function backslashesBefore(text: string, at: number): number {
  let n = 0;
  while (text.charCodeAt(at - 1 - n) === 0x5c) n++;
  return n;
}
