// The guarantees a run must keep whatever the server does, checked against what the server stored.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { conversationKey } from '../../src/conversation.js';
import type { Line } from './fixtures.js';
import type { Stored } from './fault-server.js';

export const STAMP = 'src';

export function readJsonl<T = Record<string, unknown>>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

export function stateFiles(dir: string) {
  return {
    imported: readJsonl<{ source_id: string; chat_type: string; msg_id: string | null; msg_timestamp: number; duplicate_risk?: boolean; marked?: boolean }>(join(dir, 'imported.jsonl')),
    failed: readJsonl<{ source_id: string; _error: { status: number | null; error: string; description: string } }>(join(dir, 'failed.jsonl')),
    uncertain: readJsonl<{ source_id: string; _error: { status: number | null; error: string; description: string } }>(join(dir, 'uncertain.jsonl')),
    held: readJsonl<{ source_id: string; _error: { status: number | null; error: string; description: string } }>(join(dir, 'held.jsonl')),
    summary: existsSync(join(dir, 'summary.json')) ? JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) : undefined,
  };
}

/**
 * Every input line is in exactly one of imported / failed / uncertain; an imported line is stored exactly once
 * (with --on-uncertain retry, a line marked duplicate_risk may be stored more); failed lines are not stored;
 * duplicates exist only among uncertain (or duplicate_risk) lines; every conversation is stored in order.
 */
export function checkInvariants(lines: Line[], dir: string, stored: Stored[], mode: 'report' | 'retry' = 'report') {
  const { imported, failed, uncertain, held } = stateFiles(dir);
  const where = new Map<string, string[]>();
  for (const [name, list] of Object.entries({ imported, failed, uncertain, held })) {
    for (const r of list) where.set(r.source_id, [...(where.get(r.source_id) ?? []), name]);
  }
  for (const l of lines) expect(where.get(l.source_id), `line ${l.source_id}`).toHaveLength(1);
  expect(where.size).toBe(lines.length);

  const copies = new Map<string, Stored[]>();
  for (const s of stored) {
    const id = String(s.body.ext?.[STAMP]);
    copies.set(id, [...(copies.get(id) ?? []), s]);
  }
  const risky = new Set([...uncertain.map((u) => u.source_id), ...imported.filter((i) => i.duplicate_risk).map((i) => i.source_id)]);
  for (const i of imported) {
    const c = copies.get(i.source_id) ?? [];
    if (mode === 'report' || !i.duplicate_risk) expect(c, `imported ${i.source_id} stored once`).toHaveLength(1);
    // a line marked imported by the user (`retry --uncertain imported`) has no msg_id of ours
    if (!i.marked) expect(c.map((s) => s.msgId), `msg_id of ${i.source_id}`).toContain(i.msg_id);
  }
  for (const f of [...failed, ...held]) expect(copies.get(f.source_id) ?? [], `failed or held ${f.source_id} not stored`).toHaveLength(0);
  for (const [id, c] of copies) if (c.length > 1) expect(risky.has(id), `duplicate ${id} is uncertain`).toBe(true);
  if (mode === 'report') for (const c of copies.values()) expect(c.length).toBe(1);

  // Per conversation, first copies in arrival order must have strictly increasing timestamps and follow file order.
  const byConversation = new Map<string, number[]>();
  const seen = new Set<string>();
  for (const s of stored) {
    const id = String(s.body.ext?.[STAMP]);
    if (seen.has(id)) continue;
    seen.add(id);
    const key = conversationKey(s.endpoint === 'chatgroups' ? 'group' : 'single', s.body.from, s.body.target);
    byConversation.set(key, [...(byConversation.get(key) ?? []), s.body.msg_timestamp]);
  }
  for (const [key, ts] of byConversation) {
    for (let i = 1; i < ts.length; i++) expect(ts[i], `conversation ${key} in order`).toBeGreaterThan(ts[i - 1]);
  }
  return { imported: imported.length, failed: failed.length, uncertain: uncertain.length, held: held.length, stored: stored.length };
}
