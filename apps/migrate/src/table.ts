// A map from strings to a few numbers, kept in typed arrays. A JavaScript Map of a million short string keys
// costs about 100 bytes an entry; this costs about 30 plus the key's characters, so the per-line state of a
// multi-million-line file (source ids, journal states, conversations) stays well inside the memory budget.
// Keys are compared exactly (no hash-only membership: a collision must never make a line look imported).

type Values = Float64Array | Uint32Array;

export class StringTable {
  /** Keys back to back, one byte per UTF-16 code unit below 0xff, else 0xff and two bytes. */
  private bytes: Uint8Array;
  private bytesUsed = 0;
  /** Per entry: where its key starts in `bytes`, its byte length and its hash; then `columns` values. */
  private start: Uint32Array;
  private length: Uint32Array;
  private hashes: Uint32Array;
  private values: Values;
  /** Open addressing: entry index + 1, 0 for an empty slot. Kept at most half full. */
  private slots: Int32Array;
  size = 0;

  /** `expected` entries are allocated up front (when a line count is known), so the arrays need not grow. */
  constructor(
    readonly columns = 1,
    kind: 'float64' | 'uint32' = 'float64',
    expected = 1024,
  ) {
    const n = Math.max(16, expected);
    this.bytes = new Uint8Array(n * 8);
    this.start = new Uint32Array(n);
    this.length = new Uint32Array(n);
    this.hashes = new Uint32Array(n);
    this.values = kind === 'float64' ? new Float64Array(n * columns) : new Uint32Array(n * columns);
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(n * 2)));
  }

  /** The entry of `key`, or -1. */
  find(key: string): number {
    const h = hash(key);
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i];
      if (slot === 0) return -1;
      if (this.hashes[slot - 1] === h && this.matches(slot - 1, key)) return slot - 1;
    }
  }

  get(key: string, column = 0): number | undefined {
    const e = this.find(key);
    return e === -1 ? undefined : this.values[e * this.columns + column];
  }

  /** The entry of `key`, added (values 0) when absent. */
  add(key: string): number {
    const found = this.find(key);
    if (found !== -1) return found;
    if ((this.size + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    const e = this.size++;
    if (e >= this.start.length) this.growEntries();
    this.start[e] = this.bytesUsed;
    this.length[e] = this.write(key);
    const h = hash(key);
    this.hashes[e] = h;
    this.place(e, h);
    return e;
  }

  set(key: string, value: number, column = 0): void {
    const e = this.add(key); // first: add() may replace this.values
    this.values[e * this.columns + column] = value;
  }

  value(entry: number, column = 0): number {
    return this.values[entry * this.columns + column];
  }

  setValue(entry: number, value: number, column = 0): void {
    this.values[entry * this.columns + column] = value;
  }

  /** Every entry's value in `column`, in insertion order. */
  *column(column = 0): Generator<number> {
    for (let e = 0; e < this.size; e++) yield this.values[e * this.columns + column];
  }

  /** Every key with its value in `column`, in insertion order. */
  *entries(column = 0): Generator<[string, number]> {
    for (let e = 0; e < this.size; e++) yield [this.key(e), this.values[e * this.columns + column]];
  }

  key(entry: number): string {
    let out = '';
    const end = this.start[entry] + this.length[entry];
    for (let i = this.start[entry]; i < end; i++) {
      const b = this.bytes[i];
      out += String.fromCharCode(b === 0xff ? (this.bytes[++i] << 8) | this.bytes[++i] : b);
    }
    return out;
  }

  private write(key: string): number {
    if (this.bytesUsed + key.length * 3 > this.bytes.length) this.bytes = grow(this.bytes, Math.max(this.bytes.length * 1.5, this.bytesUsed + key.length * 3));
    let at = this.bytesUsed;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (c < 0xff) this.bytes[at++] = c;
      else {
        this.bytes[at++] = 0xff;
        this.bytes[at++] = c >> 8;
        this.bytes[at++] = c & 0xff;
      }
    }
    const n = at - this.bytesUsed;
    this.bytesUsed = at;
    return n;
  }

  private matches(e: number, key: string): boolean {
    let at = this.start[e];
    const end = at + this.length[e];
    for (let i = 0; i < key.length; i++) {
      if (at >= end) return false;
      const c = key.charCodeAt(i);
      if (c < 0xff) {
        if (this.bytes[at++] !== c) return false;
      } else if (this.bytes[at] !== 0xff || this.bytes[at + 1] !== c >> 8 || this.bytes[at + 2] !== (c & 0xff)) return false;
      else at += 3;
    }
    return at === end;
  }

  private place(e: number, h: number) {
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = e + 1;
  }

  private rehash(capacity: number) {
    this.slots = new Int32Array(capacity);
    for (let e = 0; e < this.size; e++) this.place(e, this.hashes[e]);
  }

  private growEntries() {
    const n = Math.ceil(this.start.length * 1.5);
    this.start = grow(this.start, n);
    this.length = grow(this.length, n);
    this.hashes = grow(this.hashes, n);
    this.values = grow(this.values, n * this.columns);
  }
}

function grow<T extends Uint8Array | Uint32Array | Float64Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(Math.ceil(n));
  b.set(a);
  return b;
}

/** FNV-1a over UTF-16 code units, with a final avalanche so sequential ids spread over the slots. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
