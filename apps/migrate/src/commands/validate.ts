// `easemob-import validate FILE`: the dry run. No network; the same checks `run` applies, and an estimate of
// how long the import takes at the spec's rate.
import { formatDuration } from '../progress.js';
import { displayName, openInput, readLines } from '../reader.js';
import type { ChatType } from '../spec.js';
import { checkLine, formatProblem, LineChecker } from '../validate.js';

export interface ValidateOptions {
  file: string;
  fixTimestamps: boolean;
  stampExt?: string;
  json: boolean;
  rate: Record<ChatType, number>;
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Problems kept for --json; the human output streams every one. */
const MAX_JSON_PROBLEMS = 10_000;

export async function validateCommand(o: ValidateOptions): Promise<0 | 1> {
  const name = displayName(o.file);
  const started = performance.now();
  const checker = new LineChecker({ fixTimestamps: o.fixTimestamps, stampExt: o.stampExt });
  const stats = {
    lines: 0,
    valid: 0,
    invalid: 0,
    by_chat_type: { single: 0, group: 0 } as Record<ChatType, number>,
    by_type: {} as Record<string, number>,
    fixed_timestamps: 0,
    first: Infinity,
    last: -Infinity,
  };
  const problems: Array<{ line: number; field: string; message: string }> = [];

  for await (const batch of readLines(openInput(o.file, o.stdin as never))) {
    let out = '';
    for (const raw of batch) {
      stats.lines++;
      const v = checkLine(checker, raw);
      if (!v.ok) {
        stats.invalid++;
        for (const p of v.problems) {
          if (o.json) {
            if (problems.length < MAX_JSON_PROBLEMS) problems.push({ line: v.line, ...p });
          } else out += `${formatProblem(name, v.line, p)}\n`;
        }
        continue;
      }
      stats.valid++;
      stats.by_chat_type[v.chatType]++;
      stats.by_type[v.message.type] = (stats.by_type[v.message.type] ?? 0) + 1;
      if (v.fixedFrom !== undefined) stats.fixed_timestamps++;
      stats.first = Math.min(stats.first, v.message.msg_timestamp);
      stats.last = Math.max(stats.last, v.message.msg_timestamp);
    }
    if (out) o.stdout.write(out);
  }

  // The endpoints have separate limits and run side by side: the busier one sets the pace.
  const seconds = Math.max(stats.by_chat_type.single / (o.rate.single || Infinity), stats.by_chat_type.group / (o.rate.group || Infinity));
  const elapsed = (performance.now() - started) / 1000;
  const summary = {
    file: name,
    lines: stats.lines,
    valid: stats.valid,
    invalid: stats.invalid,
    by_chat_type: stats.by_chat_type,
    by_type: stats.by_type,
    conversations: checker.conversations(),
    fixed_timestamps: stats.fixed_timestamps,
    time_range: stats.valid ? { first: new Date(stats.first).toISOString(), last: new Date(stats.last).toISOString() } : null,
    estimate: { rate_per_s: o.rate, seconds: Math.ceil(seconds) },
    elapsed_ms: Math.round(elapsed * 1000),
    lines_per_s: Math.round(stats.lines / Math.max(elapsed, 1e-3)),
  };

  if (o.json) {
    o.stdout.write(`${JSON.stringify({ ...summary, problems, problems_truncated: problems.length >= MAX_JSON_PROBLEMS }, null, 2)}\n`);
  } else {
    const types = Object.entries(stats.by_type).map(([t, n]) => `${t} ${n}`).join(', ') || 'none';
    const lines = [
      `${name}: ${stats.lines} lines, ${stats.valid} valid, ${stats.invalid} invalid (checked in ${elapsed.toFixed(1)}s)`,
      `  single chat: ${plural(stats.by_chat_type.single, 'message')} in ${plural(summary.conversations.single, 'conversation')}; group: ${plural(stats.by_chat_type.group, 'message')} in ${plural(summary.conversations.group, 'group')}`,
      `  types: ${types}`,
    ];
    if (summary.time_range) lines.push(`  from ${summary.time_range.first} to ${summary.time_range.last}`);
    if (stats.fixed_timestamps) lines.push(`  --fix-timestamps would raise ${stats.fixed_timestamps} timestamps`);
    lines.push(`  at ${o.rate.single}/s (single) and ${o.rate.group}/s (group), importing the valid lines takes ${seconds < 1 ? 'under a second' : `about ${formatDuration(seconds)}`}`);
    o.stdout.write(`${lines.join('\n')}\n`);
  }
  return stats.invalid ? 1 : 0;
}
