// Progress while a run goes: a live bar on a terminal, a plain line every few seconds otherwise (logs, CI).
import cliProgress from 'cli-progress';

export interface Snapshot {
  /** Lines with an outcome (or skipped as imported earlier). */
  done: number;
  /** Lines in the input; grows as stdin is read. */
  total: number;
  failed: number;
  uncertain: number;
  /** Calls finished by this run: the rate is measured on these. */
  calls: number;
}

export interface ProgressOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  /** Plain-line period. */
  intervalMs: number;
  read: () => Snapshot;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Calls per second over the last 10 seconds of samples, so the ETA follows the current pace. */
class RateMeter {
  private samples: Array<{ t: number; calls: number }> = [];
  sample(calls: number): number {
    const t = performance.now();
    this.samples.push({ t, calls });
    while (this.samples.length > 2 && t - this.samples[0].t > 10_000) this.samples.shift();
    const first = this.samples[0];
    return t > first.t ? ((calls - first.calls) * 1000) / (t - first.t) : 0;
  }
}

/** Clears the current terminal line. */
const CLEAR_LINE = '\r\x1b[2K';
/** The bar turns line wrapping off while it draws; other text is wrapped as usual. */
const WRAP_ON = '\x1b[?7h';
const WRAP_OFF = '\x1b[?7l';
/** Save and restore cursor: the bar restores the position of its start when it stops, wrong once anything was printed. */
const CURSOR_SAVE_RESTORE = /\x1b[78]/g;

/**
 * Gives the bar its line on a terminal: other writes to the stream (a "stopping..." notice) first clear the bar
 * and are printed in its place, and the bar draws itself again below them. Without this the bar's frozen copy
 * stays above the notice and the summary is written over both.
 */
function ownLine(stream: ProgressOptions['stream']): { barStream: NodeJS.WritableStream; release(): void } {
  const original = stream.write;
  const write = original.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const barStream = Object.create(stream, {
    write: { value: (chunk: unknown, ...rest: unknown[]) => write(typeof chunk === 'string' ? chunk.replace(CURSOR_SAVE_RESTORE, '') : chunk, ...rest) },
  }) as NodeJS.WritableStream;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    write(CLEAR_LINE + WRAP_ON);
    const ok = write(typeof chunk === 'string' ? chunk.replace(/^\n+/, '') : chunk, ...rest);
    write(WRAP_OFF);
    return ok;
  }) as typeof stream.write;
  return {
    barStream,
    release() {
      stream.write = original;
    },
  };
}

export function startProgress({ stream, intervalMs, read }: ProgressOptions): { stop(): void } {
  const meter = new RateMeter();
  meter.sample(read().calls);
  const describe = () => {
    const s = read();
    const rate = meter.sample(s.calls);
    const eta = rate > 0 ? formatDuration((s.total - s.done) / rate) : '?';
    return { s, rate: rate.toFixed(1), eta };
  };

  if (stream.isTTY) {
    const screen = ownLine(stream);
    const bar = new cliProgress.SingleBar(
      {
        stream: screen.barStream,
        clearOnComplete: true,
        format: '{bar} {value}/{total} lines | {rate}/s | ETA {eta_text} | failed {failed} | uncertain {uncertain}',
        hideCursor: true,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    const first = describe();
    bar.start(Math.max(first.s.total, 1), first.s.done, { rate: first.rate, eta_text: first.eta, failed: 0, uncertain: 0 });
    const timer = setInterval(() => {
      const { s, rate, eta } = describe();
      bar.setTotal(Math.max(s.total, 1));
      bar.update(s.done, { rate, eta_text: eta, failed: s.failed, uncertain: s.uncertain });
    }, 200).unref();
    return {
      stop() {
        clearInterval(timer);
        const { s, rate } = describe();
        bar.update(s.done, { rate, eta_text: '0s', failed: s.failed, uncertain: s.uncertain });
        bar.stop();
        screen.release();
      },
    };
  }

  const timer = setInterval(() => {
    const { s, rate, eta } = describe();
    const pct = s.total ? ` (${Math.floor((s.done * 100) / s.total)}%)` : '';
    stream.write(`easemob-import: ${s.done}/${s.total} lines${pct}, ${rate}/s, ETA ${eta}, failed ${s.failed}, uncertain ${s.uncertain}\n`);
  }, intervalMs).unref();
  return { stop: () => clearInterval(timer) };
}
