// The state files a user reads: imported.jsonl, failed.jsonl, uncertain.jsonl, held.jsonl, timestamps.jsonl and
// summary.json. The journal is the truth; these are rebuilt from it at the start of every run and appended to
// as outcomes arrive, so a kill between the two writes is repaired by the next run.
import { closeSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorInfo, JournalRecord } from './journal.js';
import { openStateFile, realFs, writeAll, writeFileAtomic } from './state/files.js';

export const FILES = {
  imported: 'imported.jsonl',
  failed: 'failed.jsonl',
  uncertain: 'uncertain.jsonl',
  held: 'held.jsonl',
  timestamps: 'timestamps.jsonl',
  summary: 'summary.json',
} as const;

/** Buffers writes while rebuilding (many small lines), writes through during a run. */
class Out {
  private buffer = '';
  constructor(private readonly fd: number, private readonly path: string, public buffered: boolean) {}
  write(s: string) {
    if (!this.buffered) return void writeAll(realFs, this.fd, this.path, s);
    this.buffer += s;
    if (this.buffer.length > 1 << 16) this.flush();
  }
  flush() {
    if (this.buffer) writeAll(realFs, this.fd, this.path, this.buffer);
    this.buffer = '';
  }
  close() {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

/** The line as it was in the input, with its id made explicit and the reason it was not imported. */
export function withError(original: Record<string, unknown>, sourceId: string, error: ErrorInfo): Record<string, unknown> {
  const { _error, ...rest } = original;
  return { ...rest, source_id: sourceId, _error: error };
}

/** Report lines a later record of the same line replaced (a line sent again by `retry`), found while replaying. */
export class Superseded {
  /** Per line with a failed, uncertain or held record: how many such records it has. */
  private readonly reports = new Map<string, number>();
  /** Lines whose report record was followed by another record. */
  readonly ids = new Set<string>();
  /** On the second replay: report records of superseded lines seen so far. */
  private readonly seen = new Map<string, number>();
  see(r: JournalRecord) {
    if (!('id' in r)) return;
    if (r.op === 'failed' || r.op === 'uncertain' || r.op === 'held') this.reports.set(r.id, (this.reports.get(r.id) ?? 0) + 1);
    else if (this.reports.has(r.id)) this.ids.add(r.id);
  }
  /** On a second replay: whether a report record is still the line's latest word. */
  keep(r: JournalRecord, final: (id: string) => string): boolean {
    if (!('id' in r) || !this.ids.has(r.id) || (r.op !== 'failed' && r.op !== 'uncertain' && r.op !== 'held')) return true;
    const n = (this.seen.get(r.id) ?? 0) + 1;
    this.seen.set(r.id, n);
    return n === this.reports.get(r.id) && final(r.id) === r.op;
  }
}

export class Reports {
  private readonly out: Record<'imported' | 'failed' | 'uncertain' | 'held' | 'timestamps', Out>;
  /** Lines whose timestamp fix is already listed (a line sent again after a crash has two send records). */
  private readonly fixed = new Set<string>();

  /** Invalid lines of this run, kept when the reports may be rewritten before it ends (`retry`). */
  private readonly invalids: string[] | undefined;

  constructor(readonly dir: string, keepInvalid = false) {
    this.invalids = keepInvalid ? [] : undefined;
    const open = (name: string) => {
      const path = join(dir, name);
      return new Out(openStateFile(path, 'w'), path, true);
    };
    this.out = { imported: open(FILES.imported), failed: open(FILES.failed), uncertain: open(FILES.uncertain), held: open(FILES.held), timestamps: open(FILES.timestamps) };
  }

  /** Derives the report lines of one journal record. */
  record(r: JournalRecord) {
    switch (r.op) {
      case 'send':
        if (r.fixed_from !== undefined && !this.fixed.has(r.id)) {
          this.fixed.add(r.id);
          this.out.timestamps.write(`${JSON.stringify({ source_id: r.id, line: r.line, from: r.fixed_from, to: r.msg_timestamp })}\n`);
        }
        break;
      case 'imported': {
        const { id, chat_type, msg_id, msg_timestamp, line, duplicate_risk, marked } = r;
        this.out.imported.write(`${JSON.stringify({ source_id: id, chat_type, msg_id, msg_timestamp, line, ...(duplicate_risk && { duplicate_risk }), ...(marked && { marked }) })}\n`);
        break;
      }
      case 'failed':
      case 'uncertain':
      case 'held':
        this.out[r.op].write(`${JSON.stringify(withError(r.record, r.id, r.error))}\n`);
        break;
    }
  }

  /** A line that failed validation: it is never sent, so it is not in the journal. */
  invalid(entry: Record<string, unknown>) {
    const line = `${JSON.stringify(entry)}\n`;
    this.invalids?.push(line);
    this.out.failed.write(line);
  }

  /** Starts the rebuild over (after a replay found superseded lines). */
  restart() {
    for (const [name, o] of Object.entries(this.out)) {
      o.close();
      const path = join(this.dir, FILES[name as keyof typeof this.out]);
      this.out[name as keyof typeof this.out] = new Out(openStateFile(path, 'w'), path, true);
    }
    this.fixed.clear();
    for (const line of this.invalids ?? []) this.out.failed.write(line);
  }

  /** Ends the rebuild: from here on every line is written as it happens. */
  live() {
    for (const o of Object.values(this.out)) {
      o.flush();
      o.buffered = false;
    }
  }

  /** Closes every file; the first write failure (a full disk) is thrown after all are closed. */
  close() {
    let failure: unknown;
    for (const o of Object.values(this.out)) {
      try {
        o.close();
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure) throw failure;
  }
}

export interface Summary {
  /** Lines in the input (blank lines aside). */
  total: number;
  /** Imported by this run. */
  imported: number;
  /** Already imported by an earlier run with this state directory, so not sent again. */
  skipped: number;
  /** Lines in failed.jsonl: rejected by Easemob or by validation (`invalid` of them). */
  failed: number;
  invalid: number;
  /** Lines in uncertain.jsonl: may or may not have been stored. */
  uncertain: number;
  /** Lines in held.jsonl: not sent because an earlier line of their conversation failed or is uncertain. */
  held: number;
  /** Not finished: the run stopped before reaching them. Running again continues with these. */
  pending: number;
  /** Timestamps raised by --fix-timestamps (listed in timestamps.jsonl). */
  fixed_timestamps: number;
  retries: number;
  rate_limited: number;
  elapsed_ms: number;
  /** Calls finished per second by this run. */
  rate_per_s: number;
  latency_ms: { p50: number; p95: number };
  interrupted: boolean;
  /** The run stopped after `--limit` lines, as asked; the next run continues from there. */
  limited: boolean;
}

/** Call latencies in 1 ms buckets up to a minute: exact enough for percentiles, constant memory. */
export class Latency {
  private readonly buckets = new Uint32Array(60_001);
  private n = 0;
  add(ms: number) {
    this.buckets[Math.min(this.buckets.length - 1, Math.max(0, Math.round(ms)))]++;
    this.n++;
  }
  percentile(p: number): number {
    if (this.n === 0) return 0;
    const rank = Math.ceil((p / 100) * this.n);
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i];
      if (seen >= rank) return i;
    }
    return this.buckets.length - 1;
  }
}

export function writeSummary(dir: string, summary: Summary) {
  writeFileAtomic(join(dir, FILES.summary), `${JSON.stringify(summary, null, 2)}\n`); // a reader never sees half a file
}
