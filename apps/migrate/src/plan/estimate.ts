// How long an import takes, per endpoint: the larger of what the rate allows (lines ÷ rate) and the critical
// path (the largest conversation goes one call at a time, so it needs its lines × the latency of one call,
// whatever the rate), and what calls in flight allow (all lines × latency ÷ concurrency). The two endpoints
// are paced separately and run side by side, so the slower one sets the total.
import { formatDuration } from '../progress.js';
import type { ChatType } from '../spec.js';

/** Latency assumed for one import call when none is measured (see the README's "How long a migration takes"). */
export const DEFAULT_LATENCY_MS = 50;
/** Calls in flight at most, `run`'s default. */
export const DEFAULT_CONCURRENCY = 32;
/** Largest conversations listed per endpoint. */
const TOP = 3;

export interface ConversationLines {
  /** conversationKey's key. */
  key: string;
  chatType: ChatType;
  lines: number;
}

export interface PlanOptions {
  /** Calls per second per endpoint; 0 means unpaced. */
  rate: Record<ChatType, number>;
  latencyMs: number;
  latencySource: 'assumed' | 'measured';
  concurrency?: number;
  /** Seconds the import must fit in. */
  deadlineS?: number;
}

export interface EndpointEstimate {
  lines: number;
  conversations: number;
  largest: Array<{ conversation: string; lines: number }>;
  rate_per_s: number;
  /** lines ÷ rate (0 when unpaced). */
  rate_s: number;
  /** The largest conversation's lines × (latency + one pacing interval). */
  critical_path_s: number;
  seconds: number;
}

export interface Estimate {
  latency_ms: number;
  latency_source: 'assumed' | 'measured';
  concurrency: number;
  endpoints: Record<ChatType, EndpointEstimate>;
  /** All lines × latency ÷ concurrency: the most calls in flight allow. */
  concurrency_s: number;
  seconds: number;
  /** What sets the duration. */
  bound: 'rate' | 'critical_path' | 'concurrency' | 'none';
  deadline?: Deadline;
}

export interface Deadline {
  seconds: number;
  fits: boolean;
  /** When it does not fit: the --rate that would make it, or null when no rate can (see `reason`). */
  rate_needed?: number | null;
  /** Calls in flight that rate needs at this latency. */
  concurrency_needed?: number;
  reason?: string;
}

/** A conversation key as people read it: `alice ↔ bob`, `group 1123376564212`. */
export function conversationLabel(key: string): string {
  const ids = JSON.parse(key.slice(1)) as string | [string, string];
  return key.startsWith('g') ? `group ${ids}` : `${ids[0]} ↔ ${ids[1]}`;
}

/**
 * What a conversation's next line waits for the pacer: while the endpoint is busy, the line sent after an answer
 * takes the pacer's next slot, up to one interval (1 ÷ rate) later. Measured: 10 to 13 ms per line of the largest
 * conversation beyond the call's latency at 100/s.
 */
function paceS(rate: number): number {
  return rate > 0 ? 1 / rate : 0;
}

export function estimate(conversations: Iterable<ConversationLines>, o: PlanOptions): Estimate {
  const concurrency = o.concurrency ?? DEFAULT_CONCURRENCY;
  const latencyS = o.latencyMs / 1000;
  const acc = { single: { lines: 0, conversations: 0, top: [] as ConversationLines[] }, group: { lines: 0, conversations: 0, top: [] as ConversationLines[] } };
  for (const c of conversations) {
    const a = acc[c.chatType];
    a.lines += c.lines;
    a.conversations++;
    if (a.top.length < TOP || c.lines > a.top[a.top.length - 1].lines) {
      a.top.push(c);
      a.top.sort((x, y) => y.lines - x.lines);
      a.top.length = Math.min(a.top.length, TOP);
    }
  }
  const endpoint = (t: ChatType): EndpointEstimate => {
    const a = acc[t];
    const rateS = o.rate[t] > 0 ? a.lines / o.rate[t] : 0;
    const criticalS = (a.top[0]?.lines ?? 0) * (latencyS + paceS(o.rate[t]));
    return {
      lines: a.lines,
      conversations: a.conversations,
      largest: a.top.map((c) => ({ conversation: conversationLabel(c.key), lines: c.lines })),
      rate_per_s: o.rate[t],
      rate_s: rateS,
      critical_path_s: criticalS,
      seconds: Math.max(rateS, criticalS),
    };
  };
  const endpoints = { single: endpoint('single'), group: endpoint('group') };
  const concurrencyS = ((endpoints.single.lines + endpoints.group.lines) * latencyS) / concurrency;
  const bounds = {
    rate: Math.max(endpoints.single.rate_s, endpoints.group.rate_s),
    critical_path: Math.max(endpoints.single.critical_path_s, endpoints.group.critical_path_s),
    concurrency: concurrencyS,
  };
  const seconds = Math.max(bounds.rate, bounds.critical_path, bounds.concurrency);
  const bound = seconds === 0 ? 'none' : (Object.keys(bounds) as Array<keyof typeof bounds>).find((k) => bounds[k] === seconds)!;
  const out: Estimate = { latency_ms: o.latencyMs, latency_source: o.latencySource, concurrency, endpoints, concurrency_s: concurrencyS, seconds, bound };
  if (o.deadlineS !== undefined) out.deadline = deadline(out, o.deadlineS);
  return out;
}

function deadline(e: Estimate, limit: number): Deadline {
  if (e.seconds <= limit) return { seconds: limit, fits: true };
  const { single, group } = e.endpoints;
  const critical = Math.max(single.critical_path_s, group.critical_path_s);
  if (critical > limit) {
    return {
      seconds: limit,
      fits: false,
      rate_needed: null,
      reason: `the largest conversation alone takes ${formatDuration(critical)}, one call at a time (${e.latency_ms} ms each, plus pacing), however high the rate: split the cut-over (import older history first) or run closer to Easemob`,
    };
  }
  const rate = Math.ceil(Math.max(single.lines, group.lines) / limit);
  // Both endpoints at that rate, each call in flight for one latency.
  const concurrencyNeeded = Math.ceil((2 * rate * e.latency_ms) / 1000);
  return {
    seconds: limit,
    fits: false,
    rate_needed: rate,
    concurrency_needed: concurrencyNeeded,
    reason: `it needs --rate ${rate} (Easemob sells higher limits)${concurrencyNeeded > e.concurrency ? ` and --concurrency ${concurrencyNeeded}` : ''}`,
  };
}

/** One call of a conversation as printed: `60 ms (50 ms + 10 ms pacing)`. */
function perCall(latencyMs: number, rate: number): string {
  const pace = paceS(rate) * 1000;
  return pace ? `${+(latencyMs + pace).toFixed(1)} ms (${latencyMs} ms + ${+pace.toFixed(1)} ms pacing)` : `${latencyMs} ms`;
}

/** The estimate as the lines `validate` and `run --dry-run` print. */
export function describeEstimate(e: Estimate): string[] {
  const when = (s: number) => (s < 1 ? 'under a second' : `about ${formatDuration(s)}`);
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const out: string[] = [];
  for (const t of ['single', 'group'] as const) {
    const p = e.endpoints[t];
    if (!p.lines) continue;
    const largest = p.largest.map((c) => `${c.conversation} (${c.lines})`).join(', ');
    out.push(
      `  ${t === 'single' ? 'single chat' : 'group'}: ${count(p.lines, 'line')} in ${count(p.conversations, t === 'single' ? 'conversation' : 'group')}; largest: ${largest}`,
      `    at ${p.rate_per_s ? `${p.rate_per_s}/s` : 'no rate limit'}: ${when(p.rate_s)}; critical path: ${count(p.largest[0]?.lines ?? 0, 'call')} × ${perCall(e.latency_ms, p.rate_per_s)} = ${when(p.critical_path_s)}`,
    );
  }
  const because = { rate: 'the rate', critical_path: 'the largest conversation, one call at a time', concurrency: `--concurrency ${e.concurrency}`, none: 'nothing' }[e.bound];
  const latency = e.latency_source === 'measured' ? 'measured' : 'assumed; validate --latency or --probe to change';
  out.push(`  importing takes ${when(e.seconds)}, set by ${because} (${e.latency_ms} ms a call, ${latency})`);
  if (e.deadline) {
    out.push(e.deadline.fits ? `  fits the deadline of ${formatDuration(e.deadline.seconds)}` : `  does not fit the deadline of ${formatDuration(e.deadline.seconds)}: ${e.deadline.reason}`);
  }
  return out;
}

/** `24h`, `90m`, `1d12h`, `3600s` (or a bare number of seconds) in seconds; undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (!/^(\d+(\.\d+)?[dhms])+$/.test(text)) return undefined;
  const unit: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };
  let seconds = 0;
  for (const [, n, , u] of text.matchAll(/(\d+(\.\d+)?)([dhms])/g)) seconds += Number(n) * unit[u];
  return seconds;
}
