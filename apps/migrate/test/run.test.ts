// `run` end to end against the in-repo fault server, in-process (fast); process-level behaviour (signals,
// SIGKILL) is in signals.test.ts and faults.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './support/cli.js';
import { faultServers, type FaultServer } from './support/fault-server.js';
import { makeLines, tempDir, writeLines, type Line } from './support/fixtures.js';
import { checkInvariants, readJsonl, STAMP, stateFiles } from './support/invariants.js';

const server = faultServers();
const creds = ['--client-id', 'client-id', '--client-secret', 'client-secret'];
const conn = (s: FaultServer, auth = creds) => ['--base-url', s.url, '--org', 'org', '--app', 'app', ...auth];

function setup(lines: Array<Line | string>, name = 'in.jsonl') {
  const dir = tempDir();
  const file = writeLines(dir, name, lines);
  return { dir, file, state: join(dir, 'state') };
}

async function run(s: FaultServer, file: string, state: string, extra: string[] = [], auth = creds) {
  const r = await runMain(['run', file, '--state', state, ...conn(s, auth), '--stamp-ext', STAMP, '--rate', '0', '--json', ...extra]);
  return { ...r, summary: r.code === 2 && !r.stdout ? undefined : JSON.parse(r.stdout) };
}

describe('run', () => {
  it('imports everything once and in order, writes the state files, and a second run sends nothing', async () => {
    const s = await server();
    const lines = makeLines(90, 9);
    const { file, state } = setup(lines);
    const first = await run(s, file, state);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.summary).toMatchObject({ total: 90, imported: 90, skipped: 0, failed: 0, uncertain: 0, pending: 0, retries: 0 });
    expect(first.summary.latency_ms.p95).toBeGreaterThanOrEqual(first.summary.latency_ms.p50);
    checkInvariants(lines, state, s.stored);
    const imported = stateFiles(state).imported;
    expect(Object.keys(imported[0]).sort()).toEqual(['chat_type', 'line', 'msg_id', 'msg_timestamp', 'source_id']);
    expect(readdirSync(state).sort()).toEqual(['binding.json', 'failed.jsonl', 'held.jsonl', 'imported.jsonl', 'journal.jsonl', 'lock.1', 'summary.json', 'timestamps.jsonl', 'uncertain.jsonl']);

    const second = await run(s, file, state);
    expect(second.code).toBe(0);
    expect(second.summary).toMatchObject({ total: 90, imported: 0, skipped: 90, pending: 0 });
    expect(s.stored).toHaveLength(90);
    expect(stateFiles(state).imported).toHaveLength(90); // rebuilt from the journal, not appended twice
  });

  it('does not send an invalid line, holds the rest of its conversation, and reports it with file:line', async () => {
    const s = await server();
    const lines = makeLines(6, 2);
    const { file, state } = setup([lines[0], lines[1], { ...lines[2], type: 'txt', body: { msg: '' } }, lines[3], lines[4]]);
    const r = await run(s, file, state);
    expect(r.code).toBe(1);
    // line 3 is invalid: line 5 of its conversation is held, line 4 of the other one goes
    expect(r.summary).toMatchObject({ total: 5, imported: 3, failed: 1, invalid: 1, held: 1, pending: 0 });
    expect(s.stored.map((m) => m.body.ext?.[STAMP])).toEqual(['m1', 'm2', 'm4']);
    expect(stateFiles(state).held).toMatchObject([{ source_id: 'm5', _error: { status: null, error: 'held' } }]);
    expect(stateFiles(state).held[0]._error.description).toContain('line 3 (source_id m3)');
  });

  it('--on-failure continue: does not send an invalid line, still sends the rest of its conversation', async () => {
    const s = await server();
    const lines = makeLines(6, 1);
    const { dir, file, state } = setup([lines[0], { ...lines[1], type: 'txt', body: { msg: '' } }, 'not json', lines[2]]);
    const r = await run(s, file, state, ['--on-failure', 'continue']);
    expect(r.code).toBe(1);
    expect(r.summary).toMatchObject({ total: 4, imported: 2, failed: 2, invalid: 2, pending: 0 });
    expect(r.stderr).toContain(`${file}:2: /body/msg must NOT have fewer than 1 characters`);
    expect(r.stderr).toContain(`${file}:3: line is not valid JSON`);
    expect(s.stored.map((m) => m.body.ext?.[STAMP])).toEqual(['m1', 'm3']);
    const failed = stateFiles(state).failed;
    expect(failed[0]).toMatchObject({ ...lines[1], type: 'txt', body: { msg: '' }, _error: { status: null, error: 'invalid_line' } });
    expect(failed[0]._error.description).toContain('/body/msg');
    expect(failed[1]).toMatchObject({ source_id: '3', _raw: 'not json' });
    expect(dir).toBeTruthy();
  });

  it('failed.jsonl can be fixed and fed back in: _error is ignored and source ids are kept', async () => {
    const s = await server({ faults: { missingUsers: ['ghost'] } });
    const lines = makeLines(4, 4);
    lines[1] = { ...lines[1], chat_type: 'single', from: 'ghost', target: 'someone' };
    const { file, state, dir } = setup(lines);
    const r = await run(s, file, state);
    expect(r.code).toBe(1);
    expect(r.summary).toMatchObject({ imported: 3, failed: 1, invalid: 0 });
    const [failed] = stateFiles(state).failed;
    expect(failed).toMatchObject({ source_id: 'm2', _error: { status: 404, error: 'service_resource_not_found' } });

    s.setFaults({}); // the user now exists
    const retry = writeLines(dir, 'retry.jsonl', [readFileSync(join(state, 'failed.jsonl'), 'utf8').trim()]);
    const again = await run(s, retry, join(dir, 'state-retry'));
    expect(again.code).toBe(0);
    expect(again.summary).toMatchObject({ imported: 1 });
    expect(s.stored.at(-1)!.body).not.toHaveProperty('_error');
    expect(s.stored.at(-1)!.body.ext).toEqual({ [STAMP]: 'm2' });
  });

  it('--fix-timestamps raises out-of-order timestamps and lists each change', async () => {
    const s = await server();
    const [a, b, c] = makeLines(3, 1);
    const { file, state } = setup([a, { ...b, msg_timestamp: a.msg_timestamp }, { ...c, msg_timestamp: a.msg_timestamp - 5 }]);
    const refused = await run(s, file, join(state, '..', 'no-fix'));
    expect(refused.summary).toMatchObject({ imported: 1, invalid: 2 });
    const r = await run(s, file, state, ['--fix-timestamps']);
    expect(r.code).toBe(0);
    expect(r.summary).toMatchObject({ imported: 3, fixed_timestamps: 2 });
    expect(readJsonl(join(state, 'timestamps.jsonl'))).toEqual([
      { source_id: 'm2', line: 2, from: a.msg_timestamp, to: a.msg_timestamp + 1 },
      { source_id: 'm3', line: 3, from: a.msg_timestamp - 5, to: a.msg_timestamp + 2 },
    ]);
    expect(s.stored.slice(-3).map((m) => m.body.msg_timestamp)).toEqual([a.msg_timestamp, a.msg_timestamp + 1, a.msg_timestamp + 2]);
  });

  it('reads stdin with -', async () => {
    const s = await server();
    const lines = makeLines(5, 2);
    const dir = tempDir();
    const r = await runMain(['run', '-', '--state', join(dir, 'state'), ...conn(s), '--rate', '0', '--json'], { input: lines.map((l) => JSON.stringify(l)).join('\n') });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ total: 5, imported: 5 });
  });

  it('refreshes an expired token and carries on', async () => {
    const s = await server({ faults: { tokenUses: 7 } });
    const lines = makeLines(40, 4);
    const { file, state } = setup(lines);
    const r = await run(s, file, state);
    expect(r.code).toBe(0);
    expect(r.summary.imported).toBe(40);
    expect(s.counts.tokenRequests).toBeGreaterThanOrEqual(6);
    checkInvariants(lines, state, s.stored);
  });

  it('stops on a rejected static token (exit 2, one sentence, nothing lost) and continues with a good one', async () => {
    const s = await server({ staticToken: 'good-token-123' });
    const lines = makeLines(30, 3);
    const { file, state } = setup(lines);
    const bad = await run(s, file, state, ['--concurrency', '1'], ['--token', 'bad-token-456']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^easemob-import: stopped: Easemob refused the import \(401 unauthorized\); check the token or client credentials\n$/);
    expect(bad.summary).toMatchObject({ imported: 0, failed: 0, uncertain: 0, pending: 30 });
    expect(`${bad.stdout}${bad.stderr}`).not.toContain('bad-token-456');

    const good = await run(s, file, state, [], ['--token', 'good-token-123']);
    expect(good.code).toBe(0);
    expect(good.summary).toMatchObject({ imported: 30, pending: 0 });
    checkInvariants(lines, state, s.stored);
  });

  it('stops on a wrong org or app (404 organization_application_not_found)', async () => {
    const s = await server();
    const { file, state } = setup(makeLines(3, 1));
    const r = await runMain(['run', file, '--state', state, '--base-url', s.url, '--org', 'nope', '--app', 'app', ...creds, '--rate', '0']);
    // the token endpoint is under the same org/app, so the token request is the first refusal
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stopped: the token request was refused \(404 organization_application_not_found\); check --client-id, --client-secret, --org and --app/);
  });

  it('on an outage it stops with exit 1 after the client\'s retries, and a later run finishes', async () => {
    const s = await server({ faults: { unavailable: 1 } });
    const lines = makeLines(6, 2);
    const { file, state } = setup(lines);
    const down = await run(s, file, state, ['--concurrency', '2']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/stopped: Easemob kept refusing calls \(503 service_unavailable\) after retries; run the same command again later to continue/);
    expect(down.summary).toMatchObject({ imported: 0, uncertain: 0, failed: 0, pending: 6 });
    expect(down.summary.retries).toBeGreaterThan(0);
    s.setFaults({});
    const up = await run(s, file, state);
    expect(up.code).toBe(0);
    expect(up.summary).toMatchObject({ imported: 6, pending: 0 });
    checkInvariants(lines, state, s.stored);
  }, 120_000);

  it('reports a 500 after storing as uncertain and does not resend it; --on-uncertain retry resends and flags the risk', async () => {
    const s = await server({ faults: { errorAfterStore: 1 } });
    const lines = makeLines(3, 3);
    const { file, state, dir } = setup(lines);
    const report = await run(s, file, state);
    expect(report.code).toBe(1);
    expect(report.summary).toMatchObject({ imported: 0, uncertain: 3, retries: 0 });
    expect(stateFiles(state).uncertain[0]._error).toMatchObject({ status: 500, error: 'internal_error' });
    expect(s.stored).toHaveLength(3); // each sent once: stored once
    checkInvariants(lines, state, s.stored);

    // retry mode: a 500 after storing is retried; a later success is imported, flagged as a possible duplicate
    const retryState = join(dir, 'retry-state');
    const more = makeLines(20, 5);
    const moreFile = writeLines(dir, 'more.jsonl', more);
    const flaky = await server({ faults: { errorAfterStore: 0.5 }, seed: 7 });
    const retried = await run(flaky, moreFile, retryState, ['--on-uncertain', 'retry']);
    expect(flaky.counts.requests).toBeGreaterThan(20);
    expect(retried.summary.retries).toBeGreaterThan(0);
    const flagged = stateFiles(retryState).imported.filter((i) => i.duplicate_risk);
    expect(flagged.length).toBeGreaterThan(0);
    checkInvariants(more, retryState, flaky.stored, 'retry');
  });

  it('never prints or stores a secret, whatever fails', async () => {
    const secret = 'very-secret-client-secret-value';
    const token = 'very-secret-token-value';
    const s = await server({ clientSecret: secret, faults: { errorAfterStore: 0.3, dropAfterStore: 0.2, tokenUses: 3 } });
    const { file, state, dir } = setup(makeLines(20, 4));
    const outputs: string[] = [];
    const withCreds = await run(s, file, state, [], ['--client-id', 'client-id', '--client-secret', secret]);
    outputs.push(withCreds.stdout, withCreds.stderr);
    const wrong = await run(s, file, join(dir, 's2'), [], ['--client-id', 'client-id', '--client-secret', `${secret}-wrong`]);
    expect(wrong.code).toBe(2);
    outputs.push(wrong.stdout, wrong.stderr);
    const badToken = await run(s, file, join(dir, 's3'), [], ['--token', token]);
    outputs.push(badToken.stdout, badToken.stderr);
    const closed = await server();
    const closedUrl = closed.url;
    await closed.close(); // nothing listens there now: connection refused
    const envRun = await runMain(['run', file, '--state', join(dir, 's4'), '--json'], { env: { EASEMOB_BASE_URL: closedUrl, EASEMOB_ORG: 'o', EASEMOB_APP: 'a', EASEMOB_TOKEN: token } });
    outputs.push(envRun.stdout, envRun.stderr);
    const usage = await runMain(['run', file, '--token', token, '--client-id', 'x', '--client-secret', secret, '--base-url', s.url, '--org', 'o', '--app', 'a']);
    expect(usage.code).toBe(2);
    outputs.push(usage.stdout, usage.stderr);
    for (const d of ['state', 's2', 's3', 's4']) {
      for (const f of readdirSync(join(dir, d))) outputs.push(readFileSync(join(dir, d, f), 'utf8'));
    }
    for (const o of outputs) {
      expect(o).not.toContain(secret);
      expect(o).not.toContain(token);
    }
    expect(envRun.code).toBe(1); // connection refused: stopped, resumable
    expect(envRun.stderr).toContain(`cannot reach ${closedUrl} (ECONNREFUSED) after retries`);
  }, 120_000);

  it('a second run on the same state directory is refused while the first holds it', async () => {
    const s = await server({ faults: { latencyMs: [30, 30] } });
    const { file, state } = setup(makeLines(20, 1));
    const first = run(s, file, state);
    await new Promise((r) => setTimeout(r, 150));
    const second = await runMain(['run', file, '--state', state, ...conn(s), '--rate', '0']);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/another run \(pid \d+\) is using/);
    expect((await first).code).toBe(0);
  });
});
