// `easemob-import validate FILE`: the dry run. No import call; the same checks `run` applies, common mistakes
// named once for the whole file, and an estimate of how long the import takes (src/plan/).
import type { Connection } from '../api.js';
import { describeEstimate, estimate, type Estimate } from '../plan/estimate.js';
import { probeLatency } from '../plan/probe.js';
import { displayName, openInput, readLines, type RawLine } from '../reader.js';
import type { ChatType } from '../spec.js';
import { checkLine, formatProblem, LineChecker, type Problem } from '../validate.js';

export interface ValidateOptions {
  file: string;
  fixTimestamps: boolean;
  stampExt?: string;
  json: boolean;
  rate: Record<ChatType, number>;
  /** Latency of one call for the estimate, unless `probe` measures it. */
  latencyMs: number;
  /** Measure the latency against this target with token requests. */
  probe?: Connection;
  deadlineS?: number;
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Problems kept for --json; the human output streams every one. */
const MAX_JSON_PROBLEMS = 10_000;

/** A mistake of the whole file, said once instead of on every line. */
interface Mistake {
  kind: 'json_array' | 'pretty_printed' | 'utf16' | 'seconds' | 'empty';
  message: string;
  /** Lines it concerns (for `seconds`). */
  lines?: number;
}

/** The first line tells whether the file is JSON Lines at all. */
function formatMistake(raw: RawLine, name: string): Mistake | undefined {
  if (raw.error) {
    // A UTF-16 byte order mark, as the reader shows bytes that are not UTF-8.
    if (/^(\u00ff\u00fe|\u00fe\u00ff)/.test(raw.text)) return { kind: 'utf16', message: 'UTF-16, not UTF-8: save the file as UTF-8 (for example: iconv -f UTF-16 -t UTF-8)' };
    return undefined;
  }
  const start = raw.text.trimStart();
  if (start.startsWith('[')) {
    return { kind: 'json_array', message: `a JSON array, not JSON Lines: write one message object per line (for example: jq -c '.[]' ${name} > ${name.replace(/\.json$/, '')}.jsonl)` };
  }
  if (start === '{') {
    return { kind: 'pretty_printed', message: `pretty-printed JSON, not JSON Lines: JSON Lines needs each message on one line (for example: jq -c . ${name} > lines.jsonl)` };
  }
  return undefined;
}

export async function validateCommand(o: ValidateOptions): Promise<0 | 1> {
  const name = displayName(o.file);
  const probe = o.probe && (await probeLatency(o.probe));
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
  const problems: Array<{ line: number } & Problem> = [];
  const mistakes: Mistake[] = [];
  const seconds = { lines: 0, first: 0 };

  reading: for await (const batch of readLines(openInput(o.file, o.stdin as never))) {
    let out = '';
    for (const raw of batch) {
      stats.lines++;
      if (stats.lines === 1) {
        const wrong = formatMistake(raw, name);
        if (wrong) {
          // Nothing of the file can be checked line by line; say why once and stop.
          mistakes.push(wrong);
          stats.invalid++;
          break reading;
        }
      }
      const v = checkLine(checker, raw);
      if (!v.ok) {
        stats.invalid++;
        for (const p of v.problems) {
          if (p.kind === 'seconds' && seconds.lines++ === 0) seconds.first = v.line;
          else if (p.kind === 'seconds' && !o.json) continue; // printed once, counted at the end
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
  if (seconds.lines) {
    mistakes.push({ kind: 'seconds', lines: seconds.lines, message: `${plural(seconds.lines, 'line')} (the first is line ${seconds.first}) have msg_timestamp in seconds: Easemob takes Unix milliseconds; multiply every timestamp by 1000` });
  }
  if (stats.lines === 0) mistakes.push({ kind: 'empty', message: 'no lines to import (the file is empty, or only blank lines)' });

  const plan: Estimate = estimate(checker.conversationLines(), {
    rate: o.rate,
    latencyMs: probe?.latency_ms ?? o.latencyMs,
    latencySource: probe ? 'measured' : 'assumed',
    deadlineS: o.deadlineS,
  });
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
    mistakes,
    estimate: { ...plan, rate_per_s: o.rate, seconds: Math.ceil(plan.seconds), ...(probe && { probe }) },
    elapsed_ms: Math.round(elapsed * 1000),
    lines_per_s: Math.round(stats.lines / Math.max(elapsed, 1e-3)),
  };

  if (o.json) {
    o.stdout.write(`${JSON.stringify({ ...summary, problems, problems_truncated: problems.length >= MAX_JSON_PROBLEMS }, null, 2)}\n`);
  } else {
    const types = Object.entries(stats.by_type).map(([t, n]) => `${t} ${n}`).join(', ') || 'none';
    const lines = mistakes.map((m) => `${name}: ${m.message}`);
    lines.push(`${name}: ${stats.lines} lines, ${stats.valid} valid, ${stats.invalid} invalid (checked in ${elapsed.toFixed(1)}s)`);
    if (stats.valid) {
      lines.push(`  types: ${types}`);
      if (summary.time_range) lines.push(`  from ${summary.time_range.first} to ${summary.time_range.last}`);
      if (stats.fixed_timestamps) lines.push(`  --fix-timestamps would raise ${stats.fixed_timestamps} timestamps`);
      if (probe) lines.push(`  latency measured with ${probe.samples_ms.length} token requests: ${probe.samples_ms.join(', ')} ms`);
      lines.push(...describeEstimate(plan));
    }
    o.stdout.write(`${lines.join('\n')}\n`);
  }
  return stats.invalid || mistakes.length ? 1 : 0;
}
