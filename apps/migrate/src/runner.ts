// `easemob-import run` (and `retry`): reads the file once, in order; sends each valid line that no earlier run
// settled, one at a time per conversation, paced per endpoint; journals every call before it leaves.
//
// The pieces: the state directory (lock, journal, binding) is opened here; `send/ledger.ts` keeps the counts and
// writes the records; `send/sender.ts` owns the calls in flight. This file reads checked lines and decides, per
// line, what the journal's word about it means for this run.
import { setMaxListeners } from 'node:events';
import { statSync } from 'node:fs';
import { createApi, warmUp, type Connection, type Outcome } from './api.js';
import { conversationOf } from './conversation.js';
import { Journal, LineStates, loadJournal, type Binding, type JournalRecord, type Loaded } from './journal.js';
import { lockState, type Lock } from './lock.js';
import { Pacer } from './pace.js';
import { startProgress } from './progress.js';
import { countLines, displayName } from './reader.js';
import { Reports, Superseded, withError, writeSummary, type Summary } from './report.js';
import { decide, type Policy } from './send/decide.js';
import { Ledger } from './send/ledger.js';
import { checkedLines } from './send/lines.js';
import { Holds, Sender, type Item } from './send/sender.js';
import type { ChatType } from './spec.js';
import { bind, saveBinding, targetOf } from './state/binding.js';
import { makeStateDir, realFs, type StateFs } from './state/files.js';
import { StringTable } from './table.js';
import { formatProblem, type InvalidLine, type ValidLine } from './validate.js';

export interface RunOptions {
  file: string;
  stateDir: string;
  connection: Connection;
  /** Calls per second per endpoint; 0 turns pacing off. */
  rate: Record<ChatType, number>;
  concurrency: number;
  onUncertain: 'report' | 'retry';
  /** After a line fails or is uncertain: hold the rest of its conversation (default), or go on. */
  onFailure?: 'hold' | 'continue';
  /** Send at most this many lines, then stop (a canary run); the next run continues from there. */
  limit?: number;
  /** `retry`: send failed and held lines again; decide uncertain ones. `file` is then the corrected input. */
  retry?: { uncertain?: 'resend' | 'imported'; inPlace: boolean };
  fixTimestamps: boolean;
  stampExt?: string;
  stdin?: NodeJS.ReadableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Plain progress line period when stderr is not a terminal. */
  progressIntervalMs: number;
  /** Lines read ahead of the oldest unsent one, to find conversations that can go in parallel. */
  window?: number;
  /** The state files' write calls (tests simulate a full disk). */
  fs?: StateFs;
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

const MAX_PRINTED_PROBLEMS = 20;

/** The state directory, opened for one run: locked, journal replayed, report files rebuilt. */
interface OpenState {
  lock: Lock;
  journal: Journal;
  reports: Reports;
  loaded: Loaded;
}

async function openState(o: RunOptions, ids: StringTable, onLost: (e: Error) => void): Promise<OpenState> {
  makeStateDir(o.stateDir);
  const lock = await lockState(o.stateDir, { onLost });
  try {
    const journal = new Journal(o.stateDir, o.fs ?? realFs); // cuts a torn tail before it is read
    const reports = new Reports(o.stateDir, Boolean(o.retry));
    const superseded = new Superseded();
    const loaded = await loadJournal(o.stateDir, (r) => (superseded.see(r), reports.record(r)), new LineStates(ids, 1));
    if (superseded.ids.size) await rewriteReports(o.stateDir, reports, loaded.states, superseded);
    reports.live();
    return { lock, journal, reports, loaded };
  } catch (e) {
    await lock.release();
    throw e;
  }
}

/**
 * Rewrites the report files from the journal with each line's latest word only: after `retry` sent lines again,
 * a line's old failed, held or uncertain entry must go.
 */
async function rewriteReports(dir: string, reports: Reports, states: LineStates, superseded?: Superseded) {
  if (!superseded) {
    superseded = new Superseded();
    await loadJournal(dir, (r) => superseded!.see(r));
  }
  reports.restart();
  const name = (id: string) => ['', 'send', 'imported', 'failed', 'uncertain', 'held'][states.get(id)];
  await loadJournal(dir, (r) => superseded.keep(r, name) && reports.record(r));
  reports.live();
}

/** The journal's record of how a run started: its input, binding and options (never a secret). */
function startRecord(o: RunOptions, name: string, known: number | undefined, binding: Binding): JournalRecord {
  return {
    op: 'start',
    at: new Date().toISOString(),
    input: name,
    command: o.retry ? 'retry' : 'run',
    ...(known !== undefined && { total: known }),
    binding,
    options: {
      rate: o.rate,
      concurrency: o.concurrency,
      on_uncertain: o.onUncertain,
      on_failure: o.onFailure ?? 'hold',
      fix_timestamps: o.fixTimestamps,
      stamp_ext: o.stampExt ?? null,
      ...(o.limit !== undefined && { limit: o.limit }),
      ...(o.retry && { uncertain: o.retry.uncertain ?? null }),
    },
  };
}

export function startRun(o: RunOptions): RunHandle {
  const stopping = new AbortController(); // first stop: no new lines, pacer waits end
  const abandoning = new AbortController(); // second stop: calls in flight are aborted
  setMaxListeners(0, stopping.signal, abandoning.signal); // one listener per call in flight is expected
  let sender: Sender | undefined;
  let stopOutcome: Extract<Outcome, { kind: 'stop' }> | undefined;
  let fatal: unknown;

  // Waiters re-check their condition whenever something changes.
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  const until = (cond: () => boolean) =>
    new Promise<void>((resolve) => {
      if (cond()) return resolve();
      const check = () => cond() && (waiters.delete(check), resolve());
      waiters.add(check);
    });
  const stop = () => {
    if (!stopping.signal.aborted) stopping.abort(new Error('stopped'));
    wake();
  };
  const fail = (e: unknown) => {
    fatal ??= e;
    stop();
  };

  const handle: RunHandle = {
    done: execute(),
    stop() {
      if (!stopping.signal.aborted) {
        stop();
        return 'stopping';
      }
      abandoning.abort(new Error('abandoned'));
      return 'abandoning';
    },
    get inFlight() {
      return sender?.inFlight ?? 0;
    },
  };

  async function execute(): Promise<RunResult> {
    const name = displayName(o.file);
    const known = isFile(o.file) ? await countLines(o.file) : undefined;
    // One table holds every source id: the checker's first-line column and the journal's state column.
    const ids = new StringTable(2, 'uint32', known);
    const state = await openState(o, ids, fail);
    const { journal, reports, loaded } = state;
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await journal.close();
      try {
        reports.close();
      } finally {
        await state.lock.release();
      }
    };
    try {
      const input = o.retry && !o.retry.inPlace ? undefined : { file: o.file, name };
      const binding = await bind(o.stateDir, loaded.binding, input, targetOf(o.connection), !o.retry);
      journal.append(startRecord(o, name, known, binding));
      saveBinding(o.stateDir, binding, { fix_timestamps: o.fixTimestamps, stamp_ext: o.stampExt ?? null, on_uncertain: o.onUncertain });
      const result = await body(name, known, ids, state);
      await close();
      return result;
    } catch (e) {
      await close().catch(() => undefined);
      throw e;
    }
  }

  async function body(name: string, known: number | undefined, ids: StringTable, { journal, reports, loaded }: OpenState): Promise<RunResult> {
    const ledger = new Ledger(journal, reports, loaded.states);
    const holds = new Holds((o.onFailure ?? 'hold') === 'hold');
    const pacers = { single: new Pacer(o.rate.single), group: new Pacer(o.rate.group) };
    const api = createApi(o.connection, pacers, {
      retryUncertain: o.onUncertain === 'retry',
      hooks: {
        onRetry(status) {
          ledger.counts.retries++;
          if (status === 429) ledger.counts.rateLimited++;
        },
      },
    });
    await warmUp();
    sender = new Sender({
      api, journal, ledger, holds, pacers,
      concurrency: o.concurrency,
      stopping: stopping.signal,
      abandoning: abandoning.signal,
      onStop(outcome, error) {
        if (outcome) stopOutcome ??= outcome;
        if (error !== undefined) fatal ??= error;
        stop();
      },
      onChange: wake,
    });
    const window = o.window ?? Math.max(10_000, o.concurrency * 100);
    const problems: string[] = []; // shown after the progress display stops (lines under a live bar garble it)
    let accepted = 0;
    let limited = false;

    const progress = startProgress({
      stream: o.stderr,
      intervalMs: o.progressIntervalMs,
      read: () => ({ done: ledger.finished, total: Math.max(known ?? 0, ledger.counts.total), failed: ledger.counts.failed, uncertain: ledger.counts.uncertain, calls: ledger.counts.calls }),
    });

    const send = (v: ValidLine, text: string, resent: boolean) => {
      const item: Item = {
        line: v.line, sourceId: v.sourceId, chatType: v.chatType, conversation: v.conversation,
        body: JSON.stringify(v.message), msgTimestamp: v.message.msg_timestamp,
        ...(v.fixedFrom !== undefined && { fixedFrom: v.fixedFrom }),
        text, resent,
      };
      const blocker = holds.blocker(item.conversation);
      if (blocker) return ledger.held(item, blocker);
      accepted++;
      sender!.accept(item);
    };

    const policy: Policy = { onUncertain: o.onUncertain, hold: holds.enabled, ...(o.retry && { retry: o.retry }) };
    const admit = (v: ValidLine, text: string) => {
      const state = loaded.states.get(v.sourceId);
      const d = decide(state, policy);
      if (d.do === 'send') return send(v, text, d.resent);
      if (d.do === 'mark-imported') return ledger.markedImported({ sourceId: v.sourceId, line: v.line, chatType: v.chatType, msgTimestamp: v.message.msg_timestamp });
      if (d.do === 'interrupted') ledger.interrupted(v, v.original);
      else ledger.settled(state);
      if (d.do === 'interrupted' || d.block) holds.block(v.conversation, v);
    };

    const invalid = (v: InvalidLine, text: string) => {
      const description = v.problems.map((p) => formatProblem(name, v.line, p)).join('; ');
      ledger.invalid(withError(v.original ?? { _raw: text }, v.sourceId, { status: null, error: 'invalid_line', description }));
      holds.block(conversationOf(v.original), v);
      if (problems.length < MAX_PRINTED_PROBLEMS) problems.push(description);
    };

    try {
      reading: for await (const slice of checkedLines(o, ids)) {
        for (const { raw, verdict } of slice) {
          if (o.limit !== undefined && accepted >= o.limit) {
            limited = true;
            break reading;
          }
          if (stopping.signal.aborted) break reading;
          ledger.counts.total++;
          if (verdict.ok) admit(verdict, raw.text);
          else invalid(verdict, raw.text);
        }
        if (sender.waiting >= window) await until(() => sender!.waiting < window / 2 || stopping.signal.aborted);
      }
    } catch (e) {
      fail(e);
    }
    await until(() => sender!.inFlight === 0 && (stopping.signal.aborted || sender!.waiting === 0));

    progress.stop();
    for (const p of problems) o.stderr.write(`${p}\n`);
    if (ledger.counts.invalid > problems.length) o.stderr.write(`... and ${ledger.counts.invalid - problems.length} more invalid lines: see failed.jsonl\n`);
    if (fatal) throw fatal;
    const interrupted = stopping.signal.aborted;
    journal.append({ op: 'end', at: new Date().toISOString(), interrupted });
    if (o.retry) await rewriteReports(o.stateDir, reports, loaded.states);
    const summary = ledger.summary(known, interrupted, limited);
    writeSummary(o.stateDir, summary);
    const clean = summary.failed === 0 && summary.uncertain === 0 && summary.held === 0 && (summary.pending === 0 || (limited && !interrupted));
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
