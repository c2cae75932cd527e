// Ids on the Easemob side. User ids: at most 64 bytes of `a-zA-Z0-9_-.`, case-insensitive, so every source id is
// mapped by one documented rule (or --user-map), and two source ids that end up the same are an error, never a
// merge. Group ids: created by Easemob, so they come only from --group-map.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { UsageError } from '../errors.js';
import { isObject } from './bodies.js';

const USER_ID = /^[a-zA-Z0-9_.-]{1,64}$/;
const GROUP_ID = /^\d{1,64}$/;

/**
 * The rule: an id of 1 to 64 of `a-zA-Z0-9_-.` is kept as it is. Any other id has each other character replaced
 * by `_`, is lower-cased, cut to 55 characters and given `_` and the first 8 hex digits of its SHA-256, so
 * different ids stay different: `Dave.Smith@example.com` → `dave.smith_example.com_7947e5e6`. Easemob ids are
 * case-insensitive, so ids that differ only in case (`Alice`, `alice`) collide.
 */
export function easemobUserId(id: string): string {
  if (USER_ID.test(id)) return id;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
  return `${id.replace(/[^a-zA-Z0-9_.-]/g, '_').slice(0, 55).toLowerCase()}_${hash}`;
}

export class UserIds {
  private readonly mapped = new Map<string, string>();
  /** Easemob id → the first source id mapped to it. */
  private readonly owner = new Map<string, string>();
  /** Source ids whose Easemob id differs. */
  readonly renamed = new Map<string, string>();
  readonly collisions: Array<{ easemob: string; sources: [string, string] }> = [];

  constructor(private readonly explicit: Map<string, string> = new Map()) {}

  map(id: string): string {
    const known = this.mapped.get(id);
    if (known !== undefined) return known;
    const out = this.explicit.get(id) ?? easemobUserId(id);
    const key = out.toLowerCase();
    const first = this.owner.get(key);
    if (first === undefined) this.owner.set(key, id);
    else this.collisions.push({ easemob: out, sources: [first, id] });
    if (out !== id) this.renamed.set(id, out);
    this.mapped.set(id, out);
    return out;
  }
}

export class GroupIds {
  /** Unmapped source group → messages left out. */
  readonly unmapped = new Map<string, number>();
  constructor(private readonly map: Map<string, string> = new Map()) {}

  /** The Easemob group id for a source group (or its alias), or undefined, counted as unmapped. */
  get(id: string, alias?: string): string | undefined {
    const out = this.map.get(id) ?? (alias === undefined ? undefined : (this.map.get(alias) ?? this.map.get(`#${alias}`)));
    if (out === undefined) this.unmapped.set(id, (this.unmapped.get(id) ?? 0) + 1);
    return out;
  }
}

/**
 * A map file: JSON (`{"source id": "easemob id"}`) or CSV (two columns, source id then Easemob id; a first row
 * whose second cell is not a valid id is a header). Every target is checked, and a bad one names its entry.
 */
export function loadIdMap(file: string, flag: string, kind: 'user' | 'group'): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new UsageError(`cannot read ${flag} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const valid = kind === 'user' ? USER_ID : GROUP_ID;
  const rule = kind === 'user' ? '1 to 64 of a-z A-Z 0-9 _ - .' : 'a numeric Easemob group id';
  const entries: Array<[string, unknown, string]> = [];
  if (/^\s*\{/.test(text)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`${flag} ${file} is not valid JSON (${(e as Error).message})`);
    }
    if (!isObject(value)) throw new UsageError(`${flag} ${file} must be a JSON object of source id to Easemob id`);
    for (const [k, v] of Object.entries(value)) entries.push([k, v, JSON.stringify(k)]);
  } else {
    let rows: string[][];
    try {
      rows = parseCsv(text, { skip_empty_lines: true, trim: true, relax_column_count: true });
    } catch (e) {
      throw new UsageError(`${flag} ${file} is not valid CSV (${(e as Error).message})`);
    }
    rows.forEach((row, i) => {
      if (i === 0 && !valid.test(row[1] ?? '')) return; // header
      entries.push([row[0] ?? '', row[1], `row ${i + 1}`]);
    });
  }
  const map = new Map<string, string>();
  for (const [source, target, where] of entries) {
    if (typeof target !== 'string' || !valid.test(target)) {
      throw new UsageError(`${flag} ${file}: ${where}: ${JSON.stringify(target ?? '')} is not ${rule}`);
    }
    map.set(source, target);
  }
  return map;
}
