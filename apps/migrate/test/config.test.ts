import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_CONCURRENCY, MAX_RATE, parseCount, parseLatency, parseRate, redactor, resolveConnection } from '../src/config.js';
import bundle from '@easemob-import/spec/openapi.json' with { type: 'json' };
import { specRate } from '../src/spec.js';
import { tempDir } from './support/fixtures.js';

const where = { baseUrl: 'https://a1.easemob.com/', org: 'o', app: 'a' };

describe('resolveConnection', () => {
  it('takes flags first, then the environment', () => {
    const env = { EASEMOB_BASE_URL: 'http://env', EASEMOB_ORG: 'eo', EASEMOB_APP: 'ea', EASEMOB_TOKEN: 'env-token' };
    expect(resolveConnection({}, env)).toEqual({ baseUrl: 'http://env', orgName: 'eo', appName: 'ea', token: 'env-token' });
    expect(resolveConnection({ ...where, clientId: 'id', clientSecret: 'flag-secret' }, env)).toEqual({
      baseUrl: 'https://a1.easemob.com', orgName: 'o', appName: 'a', clientId: 'id', clientSecret: 'flag-secret',
    });
  });

  it('reads secrets from files', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'secret'), 'file-secret\n');
    writeFileSync(join(dir, 'token'), 'file-token\n');
    expect(resolveConnection({ ...where, clientId: 'id', clientSecretFile: join(dir, 'secret') }, {}).clientSecret).toBe('file-secret');
    expect(resolveConnection({ ...where, tokenFile: join(dir, 'token') }, {}).token).toBe('file-token');
    expect(() => resolveConnection({ ...where, tokenFile: join(dir, 'missing') }, {})).toThrow(/cannot read --token-file .*missing \(ENOENT\)/);
  });

  it.each([
    [{ org: 'o', app: 'a', token: 't' }, /no Easemob REST host/],
    [{ ...where, baseUrl: 'a1.easemob.com' }, /--base-url must be an http\(s\) URL/],
    [{ ...where, org: undefined, token: 't' }, /no org name/],
    [{ ...where }, /no credentials/],
    [{ ...where, token: 't', clientId: 'i', clientSecret: 's' }, /either a token or a client ID and secret, not both/],
    [{ ...where, clientId: 'i' }, /a client ID needs its client secret/],
  ])('explains a bad configuration in one sentence (%#)', (flags, message) => {
    expect(() => resolveConnection(flags, {})).toThrow(message);
  });

  it('checks secrets and the URL before any call, without echoing them', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'two-lines'), 'YWMtSECRETPART1\nYWMtSECRETPART2\n');
    const cases: Array<[() => unknown, RegExp]> = [
      [() => resolveConnection({ ...where, tokenFile: join(dir, 'two-lines') }, {}), /--token-file .*two-lines holds more than one line/],
      [() => resolveConnection({ ...where, token: 'YWMtSECRET\r\nX-Evil: 1' }, {}), /the token holds a line break \(at character 11\), so it cannot be sent/],
      [() => resolveConnection({ baseUrl: where.baseUrl, org: 'o', app: 'a' }, { EASEMOB_TOKEN: 'YWMtSECRET€' }), /the token holds a character that is not visible ASCII/],
      [() => resolveConnection({ ...where, clientId: 'id', clientSecret: 'SECRET with space' }, {}), /the client secret holds a space/],
      [() => resolveConnection({ ...where, baseUrl: 'https://admin:SECRETPW@a1.easemob.com', token: 't' }, {}), /--base-url must not hold a user name or password/],
      [() => resolveConnection({ ...where, baseUrl: 'ftp://admin:SECRETPW@a1.easemob.com', token: 't' }, {}), /--base-url must be an http\(s\) URL such as https:\/\/a1.easemob.com \(it starts with ftp:\)$/],
      [() => resolveConnection({ ...where, baseUrl: 'javascript:SECRETPW', token: 't' }, {}), /--base-url must be an http\(s\) URL/],
    ];
    for (const [call, message] of cases) {
      let error: Error | undefined;
      try {
        call();
      } catch (e) {
        error = e as Error;
      }
      expect(error?.name).toBe('UsageError');
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toMatch(/SECRET|X-Evil|€/);
    }
  });

  it('bounds --rate, --concurrency and --latency', () => {
    expect(parseRate(String(MAX_RATE))).toBe(MAX_RATE);
    expect(() => parseRate(String(MAX_RATE + 1))).toThrow(/from 0 \(no limit\) to 10000/);
    expect(() => parseRate('1e9')).toThrow(/--rate must be/);
    expect(() => parseRate('')).toThrow(/--rate must be/);
    expect(parseCount(String(MAX_CONCURRENCY), '--concurrency', 1, MAX_CONCURRENCY)).toBe(MAX_CONCURRENCY);
    expect(() => parseCount(String(MAX_CONCURRENCY + 1), '--concurrency', 1, MAX_CONCURRENCY)).toThrow(/from 1 to 1000/);
    expect([parseLatency('50'), parseLatency('80ms'), parseLatency('0.2s')]).toEqual([50, 80, 200]);
    for (const bad of ['0', '-5', '61s', 'fast']) expect(() => parseLatency(bad)).toThrow(/--latency must be/);
  });

  it('parses numbers strictly', () => {
    expect(parseRate('0')).toBe(0);
    expect(parseRate('2.5')).toBe(2.5);
    expect(() => parseRate('-1')).toThrow(/--rate must be/);
    expect(parseCount('8', '--concurrency', 1)).toBe(8);
    expect(() => parseCount('0', '--concurrency', 1)).toThrow(/at least 1/);
    expect(() => parseCount('1.5', '--concurrency', 1)).toThrow(/whole number/);
  });

  it('redacts secrets', () => {
    const redact = redactor({ token: 'sekrit-token', clientSecret: 'sekrit-secret' });
    expect(redact('a sekrit-token b sekrit-secret')).toBe('a [redacted] b [redacted]');
  });
});

describe('spec', () => {
  it('reads each import endpoint\'s rate limit from the bundle\'s x-rate-limit', () => {
    const ops = Object.values(bundle.paths).map((p) => (p as { post: { operationId: string; 'x-rate-limit': { limit: number } } }).post);
    const limit = (id: string) => ops.find((o) => o.operationId === id)!['x-rate-limit'].limit;
    expect(specRate('single')).toBe(limit('importUserMessage'));
    expect(specRate('group')).toBe(limit('importGroupMessage'));
  });
});
