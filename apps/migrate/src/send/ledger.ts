// The ledger of a run: what happened to each line read (counts for the summary) and the records that say so
// (journal first, then the report files). Every state change of a line goes through here.
import type { Outcome } from '../api.js';
import { Journal, LineState, LineStates, type ErrorInfo, type JournalRecord } from '../journal.js';
import { Latency, Reports, withError, type Summary } from '../report.js';
import type { ChatType } from '../spec.js';

/** A checked line on its way: the fields its records need. */
export interface LineRef {
  line: number;
  sourceId: string;
  chatType: ChatType;
  conversation: string;
  msgTimestamp: number;
  fixedFrom?: number;
  /** The input line as read, for the report files. */
  text: string;
  /** Sent before by a run that stopped while it was in flight (or uncertain and resent): a success may be a duplicate. */
  resent: boolean;
}

export const INTERRUPTED: ErrorInfo = {
  status: null,
  error: 'interrupted',
  description: 'the call was in flight when an earlier run stopped; Easemob may or may not have stored it',
};

export class Ledger {
  readonly counts = { total: 0, imported: 0, skipped: 0, failed: 0, invalid: 0, uncertain: 0, held: 0, fixed: 0, retries: 0, rateLimited: 0, calls: 0 };
  readonly latency = new Latency();
  private readonly started = performance.now();

  constructor(
    private readonly journal: Journal,
    private readonly reports: Reports,
    readonly states: LineStates,
  ) {}

  private record(r: JournalRecord) {
    this.journal.append(r);
    this.reports.record(r);
  }

  /** A line read that an earlier run settled: counted, not sent. */
  settled(state: LineState) {
    if (state === LineState.Imported) this.counts.skipped++;
    else if (state === LineState.Failed) this.counts.failed++;
    else if (state === LineState.Uncertain) this.counts.uncertain++;
    else if (state === LineState.Held) this.counts.held++;
  }

  invalid(entry: Record<string, unknown>) {
    this.counts.failed++;
    this.counts.invalid++;
    this.reports.invalid(entry);
  }

  /** Write-ahead: the line is about to leave. The caller waits for `journal.durable()` before it does. */
  sending(l: LineRef) {
    this.record({ op: 'send', id: l.sourceId, line: l.line, msg_timestamp: l.msgTimestamp, ...(l.fixedFrom !== undefined && { fixed_from: l.fixedFrom }) });
    if (l.fixedFrom !== undefined) this.counts.fixed++;
    this.states.set(l.sourceId, LineState.InFlight);
  }

  /** A line in flight when an earlier run stopped, not resent: uncertain. */
  interrupted(l: Pick<LineRef, 'sourceId' | 'line'>, original: Record<string, unknown>) {
    this.uncertain(l, INTERRUPTED, original);
  }

  uncertain(l: Pick<LineRef, 'sourceId' | 'line'>, error: ErrorInfo, original: Record<string, unknown>) {
    this.counts.uncertain++;
    this.states.set(l.sourceId, LineState.Uncertain);
    this.record({ op: 'uncertain', id: l.sourceId, line: l.line, error, record: original });
  }

  held(l: LineRef, blocker: { line: number; sourceId: string }) {
    this.counts.held++;
    this.states.set(l.sourceId, LineState.Held);
    const error: ErrorInfo = { status: null, error: 'held', description: `not sent: line ${blocker.line} (source_id ${blocker.sourceId}) of the same conversation is not imported; run \`easemob-import retry\` after fixing it` };
    this.record({ op: 'held', id: l.sourceId, line: l.line, error, record: JSON.parse(l.text) });
  }

  /** An uncertain line the user says did arrive (`retry --uncertain imported`). */
  markedImported(l: Pick<LineRef, 'sourceId' | 'line' | 'chatType' | 'msgTimestamp'>) {
    this.counts.imported++;
    this.states.set(l.sourceId, LineState.Imported);
    this.record({ op: 'imported', id: l.sourceId, line: l.line, chat_type: l.chatType, msg_id: null, msg_timestamp: l.msgTimestamp, marked: true });
  }

  /** The outcome of a call. `journaled`: its send record was written (a request may have left). */
  outcome(l: LineRef, outcome: Outcome, journaled: boolean) {
    const { sourceId: id, line } = l;
    switch (outcome.kind) {
      case 'imported':
        this.counts.imported++;
        this.states.set(id, LineState.Imported);
        this.record({
          op: 'imported', id, line, chat_type: l.chatType, msg_id: outcome.msgId, msg_timestamp: l.msgTimestamp,
          ...((outcome.duplicateRisk || l.resent) && { duplicate_risk: true as const }),
        });
        break;
      case 'failed':
        // A resend may have been refused only because the first send was stored (e.g. its timestamp is no
        // longer newer than the last message): that line is uncertain, not failed.
        if (l.resent) this.uncertain(l, outcome.error, JSON.parse(l.text));
        else {
          this.counts.failed++;
          this.states.set(id, LineState.Failed);
          this.record({ op: 'failed', id, line, error: outcome.error, record: JSON.parse(l.text) });
        }
        break;
      case 'uncertain':
        this.uncertain(l, outcome.error, JSON.parse(l.text));
        break;
      case 'stop':
      case 'released':
        // Not sent after all: pending again. A line sent by an earlier run stays in flight (it may be stored).
        if (!journaled) break;
        if (l.resent) break;
        this.states.set(id, LineState.None);
        this.record({ op: 'released', id, line, error: outcome.error });
        break;
    }
  }

  /** Done with a line: imported, skipped, failed, uncertain or held. */
  get finished() {
    const c = this.counts;
    return c.imported + c.skipped + c.failed + c.uncertain + c.held;
  }

  summary(known: number | undefined, interrupted: boolean, limited: boolean): Summary {
    const c = this.counts;
    const total = Math.max(known ?? 0, c.total);
    const elapsed = performance.now() - this.started;
    return {
      total,
      imported: c.imported,
      skipped: c.skipped,
      failed: c.failed,
      invalid: c.invalid,
      uncertain: c.uncertain,
      held: c.held,
      pending: Math.max(0, total - this.finished),
      fixed_timestamps: c.fixed,
      retries: c.retries,
      rate_limited: c.rateLimited,
      elapsed_ms: Math.round(elapsed),
      rate_per_s: Math.round((c.calls * 100_000) / Math.max(elapsed, 1)) / 100,
      latency_ms: { p50: this.latency.percentile(50), p95: this.latency.percentile(95) },
      interrupted,
      limited,
    };
  }
}

export { withError };
