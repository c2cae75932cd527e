// Client-side pacing so a run stays under Easemob's per-second limit instead of bouncing off 429s.
/**
 * Grants at most `rate` calls in any window of one second plus `marginMs`, spaced at least 1/rate apart.
 * It counts actual grant times, not planned ones: a grant the event loop delayed cannot let the next ones crowd
 * into the same window. The margin absorbs the jitter between a grant and the request reaching the server.
 */
export class Pacer {
  private readonly spacing: number;
  private readonly window: number;
  /** Ring of the last `n` grant times. */
  private readonly grants: Float64Array;
  private next = 0;
  private readonly queue: Array<{ resolve: () => void; reject: (e: unknown) => void; signal?: AbortSignal; onAbort?: () => void }> = [];
  private timer: NodeJS.Timeout | undefined;

  /** `rate` calls per second; 0 or Infinity turns pacing off. */
  constructor(readonly rate: number, marginMs = 5) {
    const n = Number.isFinite(rate) && rate > 0 ? Math.max(1, Math.floor(rate)) : 0;
    this.spacing = n ? 1000 / rate : 0;
    this.window = n ? n * this.spacing + marginMs : 0;
    this.grants = new Float64Array(n).fill(-Infinity);
  }

  get enabled() {
    return this.grants.length > 0;
  }

  take(signal?: AbortSignal): Promise<void> {
    if (!this.enabled) return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const waiter: (typeof this.queue)[number] = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.queue.indexOf(waiter);
          if (i !== -1) this.queue.splice(i, 1);
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
      const last = this.grants[(this.next + this.grants.length - 1) % this.grants.length];
      const oldest = this.grants[this.next];
      const at = Math.max(last + this.spacing, oldest + this.window);
      if (now < at) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, Math.ceil(at - now));
        return;
      }
      this.grants[this.next] = now;
      this.next = (this.next + 1) % this.grants.length;
      const waiter = this.queue.shift()!;
      if (waiter.onAbort) waiter.signal!.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
  }
}
