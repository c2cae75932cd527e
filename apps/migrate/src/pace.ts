// Client-side pacing so a run stays under Easemob's per-second limit instead of bouncing off 429s.
/**
 * Grants at most `rate` calls in any window of one second plus `marginMs`, spaced 1/rate apart on a planned
 * schedule (so late timers do not add up and slow the run below the rate). The window is checked against when
 * calls actually left: a grant returns a ticket, and `sent(ticket)` moves its time to the moment the request
 * goes out (after the journal's disk sync), so a call delayed after its grant cannot let later ones crowd into
 * the same second. The margin absorbs what remains: the jitter between leaving and reaching the server. The
 * first calls of a run are slower on their way (new connections, cold code), so the first two windows get a
 * wider margin: otherwise calls from the start arrive bunched against the calls of one second later.
 */
export class Pacer {
  private readonly spacing: number;
  private readonly window: number;
  /** Ring of the last `n` grant (or send) times, and the ticket each slot holds. */
  private readonly grants: Float64Array;
  private readonly tickets: Float64Array;
  private issued = 0;
  private next = 0;
  /** When the next grant is due on the evenly spaced schedule. */
  private planned = -Infinity;
  private readonly queue: Array<{ resolve: (ticket: number) => void; reject: (e: unknown) => void; signal?: AbortSignal; onAbort?: () => void }> = [];
  private timer: NodeJS.Timeout | undefined;

  /** `rate` calls per second; 0 or Infinity turns pacing off. */
  private readonly startupExtra: number;

  constructor(readonly rate: number, marginMs = 6, startupMarginMs = 40) {
    const n = Number.isFinite(rate) && rate > 0 ? Math.max(1, Math.floor(rate)) : 0;
    this.spacing = n ? 1000 / rate : 0;
    this.window = n ? n * this.spacing + marginMs : 0;
    this.startupExtra = Math.max(0, startupMarginMs - marginMs);
    this.grants = new Float64Array(n).fill(-Infinity);
    this.tickets = new Float64Array(n).fill(-1);
  }

  get enabled() {
    return this.grants.length > 0;
  }

  /** Resolves with a ticket when a call may go. */
  take(signal?: AbortSignal): Promise<number> {
    if (!this.enabled) return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve(-1);
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const waiter: (typeof this.queue)[number] = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.queue.indexOf(waiter);
          if (i !== -1) this.queue.splice(i, 1);
          // Nobody waits any more: a pending timer (seconds away at a low rate) must not keep the process alive.
          if (!this.queue.length && this.timer) {
            clearTimeout(this.timer);
            this.timer = undefined;
          }
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.pump();
    });
  }

  private pump() {
    if (this.timer) return;
    while (this.queue.length) {
      const now = performance.now();
      const oldest = this.grants[this.next];
      const last = this.grants[(this.next + this.grants.length - 1) % this.grants.length];
      // The schedule allows a millisecond of timer slack; catching up never goes faster than twice the rate;
      // the window is strict.
      const warmingUp = this.issued < 2 * this.grants.length;
      const at = Math.max(this.planned - 1, last + this.spacing / 2, oldest + this.window + (warmingUp ? this.startupExtra : 0));
      if (now < at) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, Math.ceil(at - now));
        return;
      }
      const ticket = this.issued++;
      this.grants[this.next] = now;
      this.tickets[this.next] = ticket;
      this.next = (this.next + 1) % this.grants.length;
      // Late grants catch up with the schedule (the window still caps any second); after an idle spell of a
      // whole window the schedule restarts from now rather than owing a burst.
      this.planned = (this.planned < now - this.window ? now : this.planned) + this.spacing;
      const waiter = this.queue.shift()!;
      if (waiter.onAbort) waiter.signal!.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(ticket);
    }
  }

  /** The call holding `ticket` is leaving now. */
  sent(ticket: number) {
    if (ticket < 0) return;
    const slot = ticket % this.grants.length;
    if (this.tickets[slot] === ticket) this.grants[slot] = Math.max(this.grants[slot], performance.now());
  }
}
