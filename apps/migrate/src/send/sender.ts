// The sender: owns the calls in flight. Takes lines from the scheduler (one call per conversation, file order),
// waits for the pacer, hands each to the api with the journal's write-ahead, and gives every outcome to the
// ledger. By default a conversation whose line failed or is uncertain is held: its later lines are not sent.
import type { Api, Outcome } from '../api.js';
import type { Journal } from '../journal.js';
import type { Pacer } from '../pace.js';
import { Scheduler } from '../schedule.js';
import type { ChatType } from '../spec.js';
import type { Ledger, LineRef } from './ledger.js';

/** A checked line waiting to be sent. Held as strings: thousands wait, and flat strings cost the GC little. */
export interface Item extends LineRef {
  /** The request body to send, as JSON. */
  body: string;
}

/** Conversations that must not go on: their first line that is not imported, per conversation. */
export class Holds {
  private readonly blockers = new Map<string, { line: number; sourceId: string }>();
  constructor(readonly enabled: boolean) {}
  block(conversation: string | undefined, line: { line: number; sourceId: string }) {
    if (this.enabled && conversation !== undefined && !this.blockers.has(conversation)) this.blockers.set(conversation, line);
  }
  blocker(conversation: string) {
    return this.enabled ? this.blockers.get(conversation) : undefined;
  }
}

export interface SenderOptions {
  api: Api;
  journal: Journal;
  ledger: Ledger;
  holds: Holds;
  pacers: Record<ChatType, Pacer>;
  concurrency: number;
  /** Aborts waits for the pacer (first stop). */
  stopping: AbortSignal;
  /** Aborts calls in flight (second stop). */
  abandoning: AbortSignal;
  /** A call ended the run: a stop outcome or a state directory failure. */
  onStop(outcome: Extract<Outcome, { kind: 'stop' }> | undefined, error?: unknown): void;
  /** Something changed that a waiter may care about. */
  onChange(): void;
}

export class Sender {
  private readonly scheduler = new Scheduler<Item>();
  private calls = 0;

  constructor(private readonly o: SenderOptions) {}

  get inFlight() {
    return this.calls;
  }
  /** Lines read and waiting (not in flight). */
  get waiting() {
    return this.scheduler.size;
  }

  /** Queues a line; it goes when its conversation and the concurrency allow. */
  accept(item: Item) {
    this.scheduler.push(item);
    this.pump();
  }

  private pump() {
    while (!this.o.stopping.aborted && this.calls < this.o.concurrency) {
      const item = this.scheduler.take();
      if (!item) break;
      const blocker = this.o.holds.blocker(item.conversation);
      if (blocker) {
        this.settle(item, () => this.o.ledger.held(item, blocker));
        continue;
      }
      this.calls++;
      this.send(item)
        .catch((e) => this.o.onStop(undefined, e))
        .finally(() => {
          this.calls--;
          this.scheduler.done(item);
          this.pump();
          this.o.onChange();
        });
    }
  }

  /** A line settled without a call (held): its conversation's next line may be taken. */
  private settle(item: Item, what: () => void) {
    try {
      what();
    } catch (e) {
      this.o.onStop(undefined, e);
    }
    this.scheduler.done(item);
  }

  private async send(item: Item) {
    const { ledger, journal } = this.o;
    let ticket: number;
    try {
      ticket = await this.o.pacers[item.chatType].take(this.o.stopping);
    } catch {
      return; // stopped while waiting: never journaled, still pending
    }
    let journaled = false;
    const t0 = performance.now();
    const outcome = await this.o.api.send(item.chatType, JSON.parse(item.body), this.o.abandoning, ticket, async () => {
      try {
        ledger.sending(item);
        journaled = true;
        await journal.durable(); // write-ahead: the send record is on disk before the request leaves
      } catch (e) {
        this.o.onStop(undefined, e);
        throw e;
      }
    });
    if (journaled) {
      ledger.latency.add(performance.now() - t0);
      ledger.counts.calls++;
    }
    if (outcome.kind === 'stop') this.o.onStop(outcome);
    if (outcome.kind === 'uncertain' && outcome.stop) this.o.onStop({ kind: 'stop', error: outcome.error, ...outcome.stop });
    ledger.outcome(item, outcome, journaled);
    if (outcome.kind === 'failed' || outcome.kind === 'uncertain') this.o.holds.block(item.conversation, item);
  }
}
