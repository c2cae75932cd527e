// The environment switch that points the conformance suite at a real server.
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { startMock } from '@easemob-import/mock';
import { targetFromEnv } from './conformance/target.js';
import {
  acceptedRequests,
  authCases,
  importOperations,
  invalidImportBodies,
  invalidTokenBodies,
  mediaTypeCases,
  unparsableBodies,
  messageExamples,
} from './conformance/cases.js';
import { node } from './support/process.js';

const creds = { EASEMOB_ORG: 'my-org', EASEMOB_APP: 'my-app', EASEMOB_CLIENT_ID: 'client-id-1', EASEMOB_CLIENT_SECRET: 'very-secret-value' };

describe('targetFromEnv', () => {
  it('targets the mock when EASEMOB_CONFORMANCE_URL is not set', async () => {
    const t = targetFromEnv({}, 'http://127.0.0.1:1234');
    expect(t).toMatchObject({ live: false, baseUrl: 'http://127.0.0.1:1234' });
    const body = { from: 'a', msg_timestamp: 1656906628428 };
    expect(t.adapt('importUserMessage', body)).toBe(body);
  });

  it('names the missing variables without echoing the ones given', () => {
    const env = { EASEMOB_CONFORMANCE_URL: 'https://a1.easemob.com', EASEMOB_CLIENT_SECRET: 'very-secret-value' };
    expect(() => targetFromEnv(env, '')).toThrow('EASEMOB_ORG, EASEMOB_APP, EASEMOB_CLIENT_ID');
    expect(() => targetFromEnv(env, '')).not.toThrow(/very-secret-value/);
  });

  it('fits examples to the live app: its users, its credentials, timestamps that only go forward', () => {
    const t = targetFromEnv(
      { ...creds, EASEMOB_CONFORMANCE_URL: 'https://a1.easemob.com/', EASEMOB_FROM: 'alice', EASEMOB_TO: 'bob', EASEMOB_GROUP: '2001' },
      '',
    );
    expect(t).toMatchObject({ live: true, baseUrl: 'https://a1.easemob.com', org: 'my-org', app: 'my-app' });
    const example = { from: 'username1', target: 'username2', type: 'txt', body: { msg: 'x' }, msg_timestamp: 1656906628428 };
    const a = t.adapt('importUserMessage', example) as typeof example;
    const b = t.adapt('importGroupMessage', example) as typeof example;
    expect(a).toMatchObject({ from: 'alice', target: 'bob' });
    expect(b).toMatchObject({ from: 'alice', target: '2001' });
    expect(a.msg_timestamp).toBeGreaterThanOrEqual(Date.now() - 60_000);
    expect(b.msg_timestamp).toBeGreaterThan(a.msg_timestamp);
    expect(example.from).toBe('username1'); // the bundle's example is not changed
    expect(t.adapt('getAppToken', { grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' })).toEqual({
      grant_type: 'client_credentials', client_id: 'client-id-1', client_secret: 'very-secret-value',
    });
  });

  it('uses EASEMOB_TOKEN as is, or requests one from the target with the client credentials', async () => {
    const given = targetFromEnv({ ...creds, EASEMOB_CONFORMANCE_URL: 'http://127.0.0.1:1', EASEMOB_TOKEN: 'tok' }, '');
    expect(await given.token()).toBe('tok');
    const fetched = targetFromEnv({ ...creds, EASEMOB_CONFORMANCE_URL: inject('mockUrl') }, '');
    expect(await fetched.token()).toMatch(/^YWMt/); // the mock's token example
  });
});

describe('the conformance suite in live mode', () => {
  it('passes against a validating proxy in front of a server that keeps the contract, and prints no credentials', async () => {
    // The "live server" is the mock; the proxy in front of it also validates every response.
    const proxy = await startMock({ upstream: inject('mockUrl'), validateRequest: false });
    try {
      const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
      const run = node([vitest, 'run', 'test/conformance', '--reporter=default'], {
        ...creds,
        EASEMOB_CONFORMANCE_URL: proxy.url,
        EASEMOB_FROM: 'alice',
        EASEMOB_TO: 'bob',
        EASEMOB_GROUP: '2001',
        NO_COLOR: '1',
        FORCE_COLOR: '0',
      });
      const { code } = await run.exit;
      const { stdout, stderr } = run.output();
      expect(code, stdout + stderr).toBe(0);
      // Every row that means something against a real server ran (the Prefer rows are mock-only).
      const bodyRows = (op: string) => invalidImportBodies.filter((row) => !row.only || row.only === op).length;
      const rows =
        importOperations.reduce(
          (sum, op) => sum + messageExamples.length + 1 + bodyRows(op) + authCases.length + mediaTypeCases.length + unparsableBodies.length,
          0,
        ) +
        1 + invalidTokenBodies.length + acceptedRequests.length;
      expect(stdout).toMatch(new RegExp(`Tests\\s+${rows} passed \\(${rows}\\)`));
      expect(stdout + stderr).not.toContain('very-secret-value');
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
