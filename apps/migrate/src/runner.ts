// `easemob-import run`: reads the file once, in order; sends each valid line that no earlier run finished,
// one at a time per conversation, paced per endpoint; journals every call before it leaves.
import { setMaxListeners } from 'node:events';
import { mkdirSync, statSync } from 'node:fs';
import { createApi, warmUp, type Connection, type Outcome } from './api.js';
import { Journal, LineState, LineStates, loadJournal, type ErrorInfo, type JournalRecord } from './journal.js';
import { lockState } from './lock.js';
import { Pacer } from './pace.js';
import { startProgress } from './progress.js';
import { countLines, displayName, openInput, readLines } from './reader.js';
import { Latency, Reports, withError, writeSummary, type Summary } from './report.js';
import { Scheduler } from './schedule.js';
import type { ChatType } from './spec.js';
import { StringTable } from './table.js';
import { checkLine, formatProblem, LineChecker, type ValidLine } from './validate.js';

export interface RunOptions {
  file: string;
  stateDir: string;
  connection: Connection;
  /** Calls per second per endpoint; 0 turns pacing off. */
  rate: Record<ChatType, number>;
  concurrency: number;
  onUncertain: 'report' | 'retry';
  fixTimestamps: boolean;
  stampExt?: string;
  stdin?: NodeJS.ReadableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Plain progress line period when stderr is not a terminal. */
  progressIntervalMs: number;
  /** Lines read ahead of the oldest unsent one, to find conversations that can go in parallel. */
  window?: number;
}

export interface RunResult {
  summary: Summary;
  exitCode: 0 | 1 | 2;
  /** Why the run stopped early, when it did. */
  stopMessage?: string;
}

export interface RunHandle {
  done: Promise<RunResult>;
  /** First call: take no new lines, let calls in flight finish. Second call: abandon those calls too. */
  stop(): 'stopping' | 'abandoning';
  /** Calls in flight right now. */
  readonly inFlight: number;
}

/**
 * A checked line waiting to be sent. Held as strings, not parsed objects: thousands wait in the look-ahead window,
 * and flat strings cost the garbage collector almost nothing to keep (object trees made its pauses long enough
 * to bunch calls together).
 */
interface Item {
  line: number;
  sourceId: string;
  chatType: ChatType;
  conversation: string;
  /** The request body to send, as JSON. */
  body: string;
  msgTimestamp: number;
  fixedFrom?: number;
  /** The input line as read, for failed.jsonl or uncertain.jsonl. */
  text: string;
  /** Sent before by a run that stopped while it was in flight: a success may be a duplicate. */
  resent: boolean;
}

function item(v: ValidLine, text: string, resent: boolean): Item {
  return {
    line: v.line,
    sourceId: v.sourceId,
    chatType: v.chatType,
    conversation: v.conversation,
    body: JSON.stringify(v.message),
    msgTimestamp: v.message.msg_timestamp,
    ...(v.fixedFrom !== undefined && { fixedFrom: v.fixedFrom }),
    text,
    resent,
  };
}

/** Lines checked between yields to the event loop, so reading ahead never holds up calls for long. */
const CHECK_SLICE = 64;

const INTERRUPTED: ErrorInfo = {
  status: null,
  error: 'interrupted',
  description: 'the call was in flight when an earlier run stopped; Easemob may or may not have stored it',
};
const MAX_PRINTED_PROBLEMS = 20;

export function startRun(o: RunOptions): RunHandle {
  const stopping = new AbortController(); // first stop: no new lines, pacer waits end
  const abandoning = new AbortController(); // second stop: calls in flight are aborted
  setMaxListeners(0, stopping.signal, abandoning.signal); // one listener per call in flight is expected
  let inFlight = 0;
  const handle: RunHandle = {
    done: execute(),
    stop() {
      if (!stopping.signal.aborted) {
        stopping.abort(new Error('stopped'));
        wake();
        return 'stopping';
      }
      abandoning.abort(new Error('abandoned'));
      return 'abandoning';
    },
    get inFlight() {
      return inFlight;
    },
  };

  // Waiters re-check their condition whenever something changes.
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  const until = (cond: () => boolean) =>
    new Promise<void>((resolve) => {
      if (cond()) return resolve();
      const check = () => cond() && (waiters.delete(check), resolve());
      waiters.add(check);
    });

  async function execute(): Promise<RunResult> {
    const name = displayName(o.file);
    mkdirSync(o.stateDir, { recursive: true });
    const unlock = lockState(o.stateDir);
    try {
      return await body(name);
    } finally {
      unlock();
    }
  }

  async function body(name: string): Promise<RunResult> {
    const started = performance.now();
    const journal = new Journal(o.stateDir); // repairs a torn tail before it is read
    const reports = new Reports(o.stateDir);
    const known = isFile(o.file) ? await countLines(o.file) : undefined;
    // One table holds every source id: the checker's first-line column and the journal's state column.
    const ids = new StringTable(2, 'uint32', known);
    const { states } = await loadJournal(o.stateDir, (r) => reports.record(r), new LineStates(ids, 1));
    reports.live();

    const counts = { total: 0, imported: 0, skipped: 0, failed: 0, invalid: 0, uncertain: 0, fixed: 0, retries: 0, rateLimited: 0, calls: 0 };
    const initial = states.counts();
    counts.failed = initial[LineState.Failed];
    counts.uncertain = initial[LineState.Uncertain];
    journal.append({
      op: 'start',
      at: new Date().toISOString(),
      input: name,
      ...(known !== undefined && { total: known }),
      options: {
        base_url: o.connection.baseUrl,
        org: o.connection.orgName,
        app: o.connection.appName,
        rate: o.rate,
        concurrency: o.concurrency,
        on_uncertain: o.onUncertain,
        fix_timestamps: o.fixTimestamps,
        stamp_ext: o.stampExt ?? null,
      },
    });

    const record = (r: JournalRecord) => {
      journal.append(r);
      reports.record(r);
    };
    const pacers = { single: new Pacer(o.rate.single), group: new Pacer(o.rate.group) };
    const api = createApi(o.connection, pacers, {
      retryUncertain: o.onUncertain === 'retry',
      hooks: {
        onRetry(status) {
          counts.retries++;
          if (status === 429) counts.rateLimited++;
        },
      },
    });
    await warmUp();
    const latency = new Latency();
    const scheduler = new Scheduler<Item>();
    const window = o.window ?? Math.max(10_000, o.concurrency * 100);
    let stopOutcome: Extract<Outcome, { kind: 'stop' }> | undefined;
    let fatal: unknown;
    let readerDone = false;
    // Shown after the progress display stops (lines written under a live bar would garble it).
    const problems: string[] = [];

    const progress = startProgress({
      stream: o.stderr,
      intervalMs: o.progressIntervalMs,
      read: () => ({
        done: counts.imported + counts.skipped + counts.failed + counts.uncertain,
        total: Math.max(known ?? 0, counts.total),
        failed: counts.failed,
        uncertain: counts.uncertain,
        calls: counts.calls,
      }),
    });

    const stop = () => {
      if (!stopping.signal.aborted) stopping.abort(new Error('stopped'));
      wake();
    };

    const finish = (item: Item, outcome: Outcome) => {
      const { sourceId: id, line } = item;
      switch (outcome.kind) {
        case 'imported':
          counts.imported++;
          states.set(id, LineState.Imported);
          record({
            op: 'imported', id, line, chat_type: item.chatType, msg_id: outcome.msgId, msg_timestamp: item.msgTimestamp,
            ...((outcome.duplicateRisk || item.resent) && { duplicate_risk: true as const }),
          });
          break;
        case 'failed':
        case 'uncertain':
          counts[outcome.kind]++;
          states.set(id, outcome.kind === 'failed' ? LineState.Failed : LineState.Uncertain);
          record({ op: outcome.kind, id, line, error: outcome.error, record: JSON.parse(item.text) });
          break;
        case 'stop':
          stopOutcome ??= outcome;
          stop();
        // falls through: the line was not sent, so it is pending again
        case 'released':
          states.set(id, LineState.None);
          record({ op: 'released', id, line, error: outcome.error });
          break;
      }
    };

    async function send(item: Item) {
      let ticket: number;
      try {
        ticket = await pacers[item.chatType].take(stopping.signal);
      } catch {
        return; // stopped while waiting: never journaled, still pending
      }
      record({ op: 'send', id: item.sourceId, line: item.line, msg_timestamp: item.msgTimestamp, ...(item.fixedFrom !== undefined && { fixed_from: item.fixedFrom }) });
      if (item.fixedFrom !== undefined) counts.fixed++;
      states.set(item.sourceId, LineState.InFlight);
      await journal.durable(); // write-ahead: the send record is on disk before the request leaves
      const t0 = performance.now();
      const outcome = await api.send(item.chatType, JSON.parse(item.body), abandoning.signal, ticket);
      latency.add(performance.now() - t0);
      counts.calls++;
      finish(item, outcome);
    }

    const pump = () => {
      while (!stopping.signal.aborted && inFlight < o.concurrency) {
        const item = scheduler.take();
        if (!item) break;
        inFlight++;
        send(item)
          .catch((e) => {
            fatal ??= e;
            stop();
          })
          .finally(() => {
            inFlight--;
            scheduler.done(item);
            pump();
            wake();
          });
      }
    };

    const accept = (item: Item) => {
      scheduler.push(item);
      pump();
    };

    try {
      const input = openInput(o.file, o.stdin as never);
      const checker = new LineChecker({ fixTimestamps: o.fixTimestamps, stampExt: o.stampExt, ids });
      for await (const batch of readLines(input)) {
        for (const [i, raw] of batch.entries()) {
          if (i > 0 && i % CHECK_SLICE === 0) await new Promise((r) => setImmediate(r));
          counts.total++;
          const verdict = checkLine(checker, raw);
          if (!verdict.ok) {
            counts.failed++;
            counts.invalid++;
            const description = verdict.problems.map((p) => formatProblem(name, verdict.line, p)).join('; ');
            reports.invalid(withError(verdict.original ?? { _raw: raw.text }, verdict.sourceId, { status: null, error: 'invalid_line', description }));
            if (problems.length < MAX_PRINTED_PROBLEMS) problems.push(description);
            continue;
          }
          const state = states.get(verdict.sourceId);
          if (state === LineState.Imported) counts.skipped++;
          else if (state === LineState.InFlight) {
            if (o.onUncertain === 'retry') accept(item(verdict, raw.text, true));
            else {
              counts.uncertain++;
              states.set(verdict.sourceId, LineState.Uncertain);
              record({ op: 'uncertain', id: verdict.sourceId, line: verdict.line, error: INTERRUPTED, record: verdict.original });
            }
          } else if (state === LineState.None) accept(item(verdict, raw.text, false));
          // Failed or Uncertain: final for this state directory; already counted.
        }
        if (scheduler.size >= window) await until(() => scheduler.size < window / 2 || stopping.signal.aborted);
        if (stopping.signal.aborted) break;
      }
      if ('destroy' in input && typeof input.destroy === 'function') input.destroy();
    } catch (e) {
      fatal ??= e;
      stop();
    }
    readerDone = true;
    await until(() => inFlight === 0 && (stopping.signal.aborted || (readerDone && scheduler.size === 0)));

    progress.stop();
    for (const p of problems) o.stderr.write(`${p}\n`);
    if (counts.invalid > problems.length) o.stderr.write(`... and ${counts.invalid - problems.length} more invalid lines: see failed.jsonl\n`);
    const interrupted = stopping.signal.aborted;
    journal.append({ op: 'end', at: new Date().toISOString(), interrupted });
    await journal.close();
    reports.close();
    if (fatal) throw fatal;

    const total = Math.max(known ?? 0, counts.total);
    const elapsed = performance.now() - started;
    const summary: Summary = {
      total,
      imported: counts.imported,
      skipped: counts.skipped,
      failed: counts.failed,
      invalid: counts.invalid,
      uncertain: counts.uncertain,
      pending: Math.max(0, total - counts.imported - counts.skipped - counts.failed - counts.uncertain),
      fixed_timestamps: counts.fixed,
      retries: counts.retries,
      rate_limited: counts.rateLimited,
      elapsed_ms: Math.round(elapsed),
      rate_per_s: Math.round((counts.calls * 100_000) / Math.max(elapsed, 1)) / 100,
      latency_ms: { p50: latency.percentile(50), p95: latency.percentile(95) },
      interrupted,
    };
    writeSummary(o.stateDir, summary);
    const clean = summary.failed === 0 && summary.uncertain === 0 && summary.pending === 0;
    return {
      summary,
      exitCode: stopOutcome ? stopOutcome.exitCode : clean ? 0 : 1,
      ...(stopOutcome && { stopMessage: stopOutcome.message }),
    };
  }

  return handle;
}

function isFile(file: string): boolean {
  if (file === '-') return false;
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
