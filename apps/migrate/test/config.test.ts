import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCount, parseRate, redactor, resolveConnection } from '../src/config.js';
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
