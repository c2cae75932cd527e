// Progress of a conversion, in the style of `run`'s: a live bar on a terminal, a plain line every few seconds
// elsewhere. Reading is measured in bytes of input (the total is known up front), writing in lines.
import cliProgress from 'cli-progress';
import { formatDuration } from '../progress.js';

export interface ConvertSnapshot {
  phase: 'reading' | 'writing';
  done: number;
  total: number;
  records: number;
  bad: number;
}

const MB = 1024 * 1024;

export function startConvertProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, intervalMs: number, read: () => ConvertSnapshot): { stop(): void } {
  const started = { t: performance.now(), phase: read().phase, done: 0 };
  const describe = () => {
    const s = read();
    if (s.phase !== started.phase) Object.assign(started, { t: performance.now(), phase: s.phase, done: s.done });
    const seconds = (performance.now() - started.t) / 1000;
    const rate = seconds > 0 ? (s.done - started.done) / seconds : 0;
    const eta = rate > 0 ? formatDuration((s.total - s.done) / rate) : '?';
    const digits = s.total < 100 * MB ? 1 : 0;
    const amount = s.phase === 'reading' ? `${(s.done / MB).toFixed(digits)}/${(s.total / MB).toFixed(digits)} MB` : `${s.done}/${s.total} lines`;
    return { s, amount, eta };
  };

  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: '{phase} {bar} {amount} | {records} records | ETA {eta_text} | bad {bad}', hideCursor: true, fps: 5 },
      cliProgress.Presets.shades_classic,
    );
    const update = () => {
      const { s, amount, eta } = describe();
      bar.setTotal(Math.max(s.total, 1));
      bar.update(s.done, { phase: s.phase, amount, records: s.records, eta_text: eta, bad: s.bad });
    };
    bar.start(1, 0, { phase: 'reading', amount: '', records: 0, eta_text: '?', bad: 0 });
    update();
    const timer = setInterval(update, 200).unref();
    return {
      stop() {
        clearInterval(timer);
        update();
        bar.stop();
      },
    };
  }

  const timer = setInterval(() => {
    const { s, amount, eta } = describe();
    const pct = s.total ? ` (${Math.floor((s.done * 100) / s.total)}%)` : '';
    stream.write(`easemob-import convert: ${s.phase} ${amount}${pct}, ${s.records} records, ETA ${eta}, bad ${s.bad}\n`);
  }, intervalMs).unref();
  return { stop: () => clearInterval(timer) };
}
