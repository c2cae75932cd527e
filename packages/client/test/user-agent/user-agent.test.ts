import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EasemobConfigError, createImportClient } from '../../src/index.js';
import { startFaultServer, textMessage, type FaultServer } from '../support/fault-server.js';

let server: FaultServer;
afterEach(() => server?.close());

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const expected = `easemob-import-client/${version} (node ${process.versions.node})`;
const credentials = { orgName: 'org', appName: 'app', clientId: 'id', clientSecret: 'YXA6secret' };

describe('User-Agent', () => {
  it('names the client and Node versions on every request, token requests included', async () => {
    server = await startFaultServer();
    const client = createImportClient({ baseUrl: server.url, ...credentials });
    await client.importUserMessage(textMessage);
    await client.importGroupMessage({ ...textMessage, target: '1123376564212' });
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect([...server.tokens, ...server.imports].map((r) => r.headers['user-agent'])).toEqual([expected, expected, expected]);
  });

  it('is replaced by the userAgent option, by a header of the client, or by a header of the call', async () => {
    server = await startFaultServer();
    const base = { baseUrl: server.url, orgName: 'org', appName: 'app', token: 'tok' };
    await createImportClient({ ...base, userAgent: 'my-migration/2.0' }).importUserMessage(textMessage);
    await createImportClient({ ...base, headers: { 'user-agent': 'from-headers/1' } }).importUserMessage(textMessage);
    await createImportClient(base).importUserMessage(textMessage, { headers: { 'User-Agent': 'per-call/1' } });
    expect(server.imports.map((r) => r.headers['user-agent'])).toEqual(['my-migration/2.0', 'from-headers/1', 'per-call/1']);
  });

  it('an override that is not valid header text is refused up front', () => {
    expect(() => createImportClient({ baseUrl: 'https://a1.example.com', orgName: 'o', appName: 'a', token: 't', userAgent: 'a\nb' })).toThrow(EasemobConfigError);
  });
});
