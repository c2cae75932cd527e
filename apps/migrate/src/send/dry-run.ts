// `run --dry-run`: everything a run does before a call leaves (read, check, the journal's word, holding, the
// limit, the per-conversation schedule and the pacing estimate) without calling Easemob or writing anything.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { conversationOf } from '../conversation.js';
import { JOURNAL_FILE, LineStates, loadJournal } from '../journal.js';
import { estimate, describeEstimate, DEFAULT_LATENCY_MS, type Estimate } from '../plan/estimate.js';
import { displayName } from '../reader.js';
import type { ChatType } from '../spec.js';
import { StringTable } from '../table.js';
import { decide } from './decide.js';
import { checkedLines } from './lines.js';
import { Holds } from './sender.js';

export interface DryRunOptions {
  file: string;
  stateDir: string;
  rate: Record<ChatType, number>;
  concurrency: number;
  onUncertain: 'report' | 'retry';
  onFailure?: 'hold' | 'continue';
  limit?: number;
  fixTimestamps: boolean;
  stampExt?: string;
  stdin?: NodeJS.ReadableStream;
}

export interface DryRunReport {
  dry_run: true;
  file: string;
  total: number;
  /** Lines a run would send now, per endpoint. */
  send: Record<ChatType, number>;
  /** Already imported by an earlier run with this state directory. */
  skipped: number;
  invalid: number;
  /** Settled by earlier runs as failed or uncertain (or in flight when a run stopped). */
  failed: number;
  uncertain: number;
  held: number;
  /** Not reached because of --limit. */
  after_limit: number;
  estimate: Estimate;
}

export async function dryRun(o: DryRunOptions): Promise<DryRunReport> {
  const ids = new StringTable(2, 'uint32');
  // The journal is only read (no lock, nothing written), so a run going on at the same time is not disturbed.
  const states = existsSync(join(o.stateDir, JOURNAL_FILE)) ? (await loadJournal(o.stateDir, undefined, new LineStates(ids, 1))).states : new LineStates(ids, 1);
  const holds = new Holds((o.onFailure ?? 'hold') === 'hold');
  const policy = { onUncertain: o.onUncertain, hold: holds.enabled };
  const r: DryRunReport = { dry_run: true, file: displayName(o.file), total: 0, send: { single: 0, group: 0 }, skipped: 0, invalid: 0, failed: 0, uncertain: 0, held: 0, after_limit: 0, estimate: undefined as never };
  const conversations = new Map<string, { key: string; chatType: ChatType; lines: number }>();
  let sent = 0;
  for await (const slice of checkedLines(o, ids)) {
    for (const { verdict: v } of slice) {
      r.total++;
      if (!v.ok) {
        r.invalid++;
        holds.block(conversationOf(v.original), v);
        continue;
      }
      if (o.limit !== undefined && sent >= o.limit) {
        r.after_limit++;
        continue;
      }
      const state = states.get(v.sourceId);
      const d = decide(state, policy);
      if (d.do === 'send') {
        if (holds.blocker(v.conversation)) r.held++;
        else {
          sent++;
          r.send[v.chatType]++;
          const c = conversations.get(v.conversation) ?? { key: v.conversation, chatType: v.chatType, lines: 0 };
          c.lines++;
          conversations.set(v.conversation, c);
        }
        continue;
      }
      if (d.do === 'mark-imported') continue; // only `retry` marks
      if (d.do === 'interrupted') r.uncertain++;
      else r[(['skipped', 'skipped', 'skipped', 'failed', 'uncertain', 'held'] as const)[state]]++;
      if (d.do === 'interrupted' || d.block) holds.block(v.conversation, v);
    }
  }
  r.estimate = estimate(conversations.values(), { rate: o.rate, latencyMs: DEFAULT_LATENCY_MS, latencySource: 'assumed', concurrency: o.concurrency });
  return r;
}

export function describeDryRun(r: DryRunReport, stateDir: string): string {
  const sends = r.send.single + r.send.group;
  const out = [
    `dry run: nothing was sent and no state was written (state directory: ${stateDir})`,
    `${r.file}: ${r.total} lines; a run would send ${sends} (single ${r.send.single}, group ${r.send.group}), skip ${r.skipped} imported earlier, leave ${r.invalid} invalid, ${r.failed} failed, ${r.uncertain} uncertain, hold ${r.held}${r.after_limit ? `, and stop at the limit before ${r.after_limit} more` : ''}`,
    ...describeEstimate(r.estimate),
  ];
  return `${out.join('\n')}\n`;
}
