// In-order recovery: a conversation is held after its first line that is not imported, other conversations go
// on; `retry` sends the fixed line and then the held ones, in order, with the same exactly-once journal; uncertain
// lines are settled only as the user says.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { faultServers, type FaultServer } from '../support/fault-server.js';
import { makeLines, tempDir, writeLines } from '../support/fixtures.js';
import { checkInvariants, readJsonl, STAMP, stateFiles } from '../support/invariants.js';

const server = faultServers();
const creds = ['--client-id', 'client-id', '--client-secret', 'client-secret'];
const run = (s: FaultServer, file: string, state: string, extra: string[] = []) =>
  runMain(['run', file, '--state', state, '--base-url', s.url, '--org', 'org', '--app', 'app', ...creds, '--stamp-ext', STAMP, '--rate', '0', '--json', ...extra]);
const retry = (state: string, extra: string[] = []) => runMain(['retry', state, ...creds, '--rate', '0', '--json', ...extra]);
const storedIds = (s: FaultServer) => s.stored.map((m) => String(m.body.ext?.[STAMP]));

describe('held lines and retry', () => {
  it('holds the rest of a conversation after a failed line; retry after the fix imports them in order', async () => {
    // m1, m4, m7, m10 are one conversation; Easemob refuses m4 (as it would a message whose user is not created yet)
    const s = await server({ faults: { refuse: ['m4'], strictOrder: true } });
    const dir = tempDir();
    const lines = makeLines(12, 3);
    const file = writeLines(dir, 'in.jsonl', lines);
    const state = join(dir, 'state');

    const first = await run(s, file, state);
    expect(first.code).toBe(1);
    // m1's conversation: m1 imported, m4 failed, m7 and m10 held; the other two conversations all imported
    expect(JSON.parse(first.stdout)).toMatchObject({ imported: 9, failed: 1, held: 2, pending: 0 });
    expect(stateFiles(state).held.map((h) => h.source_id)).toEqual(['m7', 'm10']);
    expect(first.stdout).toBeTruthy();
    checkInvariants(lines, state, s.stored);

    // the cause is fixed in Easemob; retry sends m4, then m7 and m10, in order
    s.setFaults({ strictOrder: true });
    const again = await retry(state);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 3, skipped: 9, failed: 0, held: 0, pending: 0 });
    expect(storedIds(s).slice(-3)).toEqual(['m4', 'm7', 'm10']);
    checkInvariants(lines, state, s.stored);
    const files = stateFiles(state);
    expect([files.failed, files.held, files.uncertain]).toEqual([[], [], []]); // the reports say each line's latest word
    expect(files.imported).toHaveLength(12);
    const status = await runMain(['status', '--state', state, '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ imported: 12, failed: 0, held: 0, runs: 2 });
  });

  it('retry --input takes the corrected lines from another file; a line that still fails keeps its conversation held', async () => {
    const s = await server({ faults: { strictOrder: true } });
    const dir = tempDir();
    const lines = makeLines(9, 3);
    const bad = { ...lines[3], type: 'txt', body: { msg: '' } }; // m4 is invalid: never sent
    const file = writeLines(dir, 'in.jsonl', [...lines.slice(0, 3), bad, ...lines.slice(4)]);
    const state = join(dir, 'state');
    const first = await run(s, file, state);
    expect(JSON.parse(first.stdout)).toMatchObject({ imported: 7, failed: 1, invalid: 1, held: 1 }); // m4 invalid, m7 held
    const failed = readJsonl(join(state, 'failed.jsonl'));
    const held = readJsonl(join(state, 'held.jsonl'));
    expect(failed.map((f) => f.source_id)).toEqual(['m4']);

    // fix the failed line, keep the held ones: one file, in order
    const fixed = writeLines(dir, 'fixed.jsonl', [{ ...failed[0], body: { msg: 'fixed' } }, ...held]);
    const again = await retry(state, ['--input', fixed]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ total: 2, imported: 2, held: 0, failed: 0 });
    expect(storedIds(s).slice(-2)).toEqual(['m4', 'm7']);
    checkInvariants(lines, state, s.stored);

    // the original input, unchanged, still belongs to this directory
    const resumed = await run(s, file, state);
    expect(resumed.code).toBe(1); // m4 is still invalid in the original file
    expect(s.stored).toHaveLength(9);
  });

  it('uncertain lines are settled only as told: left alone, --uncertain imported, or --uncertain resend', async () => {
    const s = await server({ faults: { errorAfterStore: 1 } });
    const dir = tempDir();
    const lines = makeLines(4, 2);
    const file = writeLines(dir, 'in.jsonl', lines);
    const state = join(dir, 'state');
    const first = await run(s, file, state);
    expect(JSON.parse(first.stdout)).toMatchObject({ uncertain: 2, held: 2 }); // m1 and m2 uncertain, their conversations held
    s.setFaults({});

    const undecided = await retry(state);
    expect(JSON.parse(undecided.stdout)).toMatchObject({ imported: 0, uncertain: 2, held: 2 });
    expect(s.stored).toHaveLength(2);

    const marked = await retry(state, ['--uncertain', 'imported']);
    expect(marked.code, marked.stderr).toBe(0);
    expect(JSON.parse(marked.stdout)).toMatchObject({ imported: 4, uncertain: 0, held: 0 });
    expect(stateFiles(state).imported.filter((i) => i.msg_id === null).map((i) => i.source_id)).toEqual(['m1', 'm2']);
    expect(s.stored).toHaveLength(4); // m1 and m2 were not sent again
    checkInvariants(lines, state, s.stored);

    const other = join(dir, 'other');
    s.setFaults({ errorAfterStore: 1 });
    await run(s, file, other);
    s.setFaults({});
    const resent = await retry(other, ['--uncertain', 'resend']);
    expect(JSON.parse(resent.stdout)).toMatchObject({ imported: 4, uncertain: 0, held: 0 });
    expect(stateFiles(other).imported.filter((i) => i.duplicate_risk).map((i) => i.source_id)).toEqual(['m1', 'm2']);
  });

  it('--on-failure continue sends the rest of the conversation, as before', async () => {
    const s = await server({ faults: { missingUsers: ['ghost'] } });
    const dir = tempDir();
    const lines = makeLines(6, 2);
    lines[0] = { ...lines[0], from: 'ghost' };
    const file = writeLines(dir, 'in.jsonl', lines);
    const r = await run(s, file, join(dir, 'state'), ['--on-failure', 'continue']);
    expect(JSON.parse(r.stdout)).toMatchObject({ imported: 5, failed: 1, held: 0 });
  });
});

describe('canary runs', () => {
  it('--limit N imports the first N lines and exits 0; the next run continues from there', async () => {
    const s = await server();
    const dir = tempDir();
    const lines = makeLines(20, 4);
    const file = writeLines(dir, 'in.jsonl', lines);
    const state = join(dir, 'state');
    const canary = await run(s, file, state, ['--limit', '5']);
    expect(canary.code, canary.stderr).toBe(0);
    expect(JSON.parse(canary.stdout)).toMatchObject({ imported: 5, pending: 15, limited: true, interrupted: false });
    expect(storedIds(s)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    const rest = await run(s, file, state);
    expect(rest.code).toBe(0);
    expect(JSON.parse(rest.stdout)).toMatchObject({ imported: 15, skipped: 5, pending: 0, limited: false });
    checkInvariants(lines, state, s.stored);
  });

  it('--dry-run reads, checks and estimates without calling Easemob or writing a state directory', async () => {
    const s = await server();
    const dir = tempDir();
    const lines = makeLines(12, 3);
    const file = writeLines(dir, 'in.jsonl', [...lines.slice(0, 4), { ...lines[4], body: {} }, ...lines.slice(5)]);
    const state = join(dir, 'state');
    const r = await runMain(['run', file, '--state', state, '--dry-run', '--limit', '8']);
    expect(r.code).toBe(1); // an invalid line
    expect(r.stdout).toContain('dry run: nothing was sent and no state was written');
    expect(r.stdout).toContain(`${file}: 12 lines; a run would send 8 (single 5, group 3), skip 0 imported earlier, leave 1 invalid, 0 failed, 0 uncertain, hold 1, and stop at the limit before 2 more`);
    expect(r.stdout).toMatch(/importing takes/);
    expect(s.counts.requests + s.counts.tokenRequests).toBe(0);
    expect(() => readFileSync(join(state, 'journal.jsonl'))).toThrow(/ENOENT/);

    // against an existing state directory: it knows what is imported, and changes nothing there
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    await run(s, file, state, ['--limit', '4']);
    const journal = readFileSync(join(state, 'journal.jsonl'), 'utf8');
    const json = await runMain(['run', file, '--state', state, '--dry-run', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ dry_run: true, total: 12, skipped: 4, send: { single: 5, group: 3 } });
    expect(readFileSync(join(state, 'journal.jsonl'), 'utf8')).toBe(journal);
    expect(s.stored).toHaveLength(4);
  });
});
