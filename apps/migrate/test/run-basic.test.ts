import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultServer, type FaultServer } from './support/fault-server.js';
import { makeLines, tempDir, writeLines } from './support/fixtures.js';
import { runMain } from './support/cli.js';
import { checkInvariants, STAMP, stateFiles } from './support/invariants.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

describe('run against a well-behaved server', () => {
  it('imports every line once, in order', async () => {
    const dir = tempDir();
    const lines = makeLines(120, 12);
    const file = writeLines(dir, 'in.jsonl', lines);
    const state = join(dir, 'state');
    const before = server.stored.length;
    const r = await runMain(['run', file, '--state', state, '--base-url', server.url, '--org', 'org', '--app', 'app', '--client-id', 'client-id', '--client-secret', 'client-secret', '--stamp-ext', STAMP, '--rate', '0', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ total: 120, imported: 120, failed: 0, uncertain: 0, pending: 0 });
    checkInvariants(lines, state, server.stored.slice(before));
    expect(stateFiles(state).summary.imported).toBe(120);
  });
});
