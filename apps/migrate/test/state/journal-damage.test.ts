// A damaged journal: a torn last line is cut (with or without its newline); a damaged line in the middle (or a
// `null`) stops run and status with a clear sentence that never advises moving the directory aside, and
// `status --repair` recovers without sending an imported line again. Also: a resend that Easemob refuses is uncertain.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { faultServers, type FaultServer } from '../support/fault-server.js';
import { makeLines, tempDir, writeLines } from '../support/fixtures.js';
import { checkInvariants, STAMP, stateFiles } from '../support/invariants.js';

const server = faultServers();
const run = (s: FaultServer, file: string, state: string, extra: string[] = []) =>
  runMain(['run', file, '--state', state, '--base-url', s.url, '--org', 'org', '--app', 'app', '--client-id', 'client-id', '--client-secret', 'client-secret', '--stamp-ext', STAMP, '--rate', '0', '--json', ...extra]);
const journal = (state: string) => join(state, 'journal.jsonl');
const journalLines = (state: string) => readFileSync(journal(state), 'utf8').split('\n').filter(Boolean);

describe('a damaged journal', () => {
  it('a torn last line is cut, with or without its newline', async () => {
    const s = await server();
    const dir = tempDir();
    const lines = makeLines(6, 2);
    const file = writeLines(dir, 'in.jsonl', lines.slice(0, 3));
    const state = join(dir, 'state');
    expect((await run(s, file, state)).code).toBe(0);
    appendFileSync(journal(state), '{"op":"imported","id":"m9","li\n');
    writeLines(dir, 'in.jsonl', lines.slice(0, 3));
    appendFileSync(file, `${JSON.stringify(lines[3])}\n`);
    const r = await run(s, file, state);
    expect(r.code, r.stderr).toBe(0);
    expect(journalLines(state).every((l) => JSON.parse(l))).toBe(true);
    appendFileSync(journal(state), '{"op":"send","id":"m');
    appendFileSync(file, `${JSON.stringify(lines[4])}\n`);
    expect((await run(s, file, state)).code).toBe(0);
    checkInvariants(lines.slice(0, 5), state, s.stored);
  });

  for (const damage of ['null', 'garbage {', '[1,2]', '{"op":"imported","id":"m2","line":2,"chat_ty']) {
    it(`a damaged line in the middle (${damage}): a clear sentence in run and status; status --repair recovers, nothing imported is sent again`, async () => {
      const s = await server();
      const dir = tempDir();
      const lines = makeLines(8, 2);
      const file = writeLines(dir, 'in.jsonl', lines.slice(0, 6));
      const state = join(dir, 'state');
      expect((await run(s, file, state, ['--limit', '4'])).code).toBe(0);
      const before = journalLines(state);
      // replace m2's imported record, or insert a line that is not a record
      const at = damage.includes('"m2"') ? before.findIndex((l) => l.includes('"op":"imported"') && l.includes('"id":"m2"')) : 3;
      const damaged = [...before.slice(0, at), damage, ...before.slice(damage.includes('"m2"') ? at + 1 : at)];
      writeFileSync(journal(state), `${damaged.join('\n')}\n`);

      for (const r of [await run(s, file, state), await runMain(['status', '--state', state])]) {
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`${journal(state)}:${at + 1} is damaged (not a journal record); nothing was sent or changed`);
        expect(r.stderr).toContain(`easemob-import status --state ${state} --repair`);
        expect(r.stderr).not.toMatch(/move .* aside|another --state/);
        expect(r.stderr).not.toMatch(/TypeError|\n\s+at /);
      }
      expect(s.stored).toHaveLength(4);

      const repaired = await runMain(['status', '--state', state, '--repair']);
      expect(repaired.code, repaired.stderr).toBe(0);
      expect(repaired.stdout).toMatch(/set 1 damaged journal line aside in .*journal\.damaged\.jsonl/);
      const again = await run(s, file, state);
      expect(again.code).toBe(damage.includes('"m2"') ? 1 : 0);
      const { imported, uncertain, held } = stateFiles(state);
      expect(imported.length + uncertain.length + held.length).toBe(6);
      if (damage.includes('"m2"')) {
        // m2's record was the damaged one: uncertain now, and m6 of its conversation is held
        expect(uncertain.map((u) => [u.source_id, u._error.error])).toEqual([['m2', 'journal_damaged']]);
        expect(held.map((h) => h.source_id)).toEqual(['m6']);
        expect(s.stored).toHaveLength(5); // m1..m4 once each, then m5
      } else expect(s.stored).toHaveLength(6); // m1..m4 once each, then m5 and m6
    });
  }
});

describe('--on-uncertain retry', () => {
  it('a resend that Easemob refuses (its first send was stored) is uncertain, not failed', async () => {
    const s = await server({ faults: { strictOrder: true } });
    const dir = tempDir();
    const lines = makeLines(4, 1);
    const file = writeLines(dir, 'in.jsonl', lines);
    const state = join(dir, 'state');
    expect((await run(s, file, state)).code).toBe(0);
    // what a kill -9 between the call and its outcome leaves: the last line sent, no outcome
    writeFileSync(journal(state), `${journalLines(state).filter((l) => !(l.includes('"op":"imported"') && l.includes('"id":"m4"'))).join('\n')}\n`);
    const r = await run(s, file, state, ['--on-uncertain', 'retry']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ skipped: 3, failed: 0, uncertain: 1 });
    expect(stateFiles(state).uncertain).toMatchObject([{ source_id: 'm4', _error: { status: 400, error: 'illegal_argument' } }]);
    expect(s.stored).toHaveLength(4);
  });
});
