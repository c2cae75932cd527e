import { afterEach, describe, expect, it, vi } from 'vitest';
import { EasemobApiError, EasemobRedirectError, createImportClient } from '../../src/index.js';
import { startFaultServer, textMessage, type FaultServer } from '../support/fault-server.js';

let servers: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
const start = async (...args: Parameters<typeof startFaultServer>) => {
  const s = await startFaultServer(...args);
  servers.push(s);
  return s;
};

const SECRET = 'q-s3cr3t-in-query';
const credentials = { orgName: 'org', appName: 'app', clientId: 'id', clientSecret: 'YXA6secret' };

describe('an import answered with a redirect', () => {
  it.each([301, 302, 303, 307, 308])('HTTP %i is not followed, not retried and not reported as imported', async (status) => {
    const elsewhere = await start();
    const server = await start();
    server.script({ status, headers: { location: `${elsewhere.url}/other/path?access_token=${SECRET}` } });
    const onRetry = vi.fn();
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', token: 'tok', retryUncertain: true, onRetry });
    const err = await client.importUserMessage(textMessage).catch((e) => e);

    expect(err).toBeInstanceOf(EasemobRedirectError);
    expect(err).toBeInstanceOf(EasemobApiError);
    expect(err).toMatchObject({ status, kind: 'fatal', sent: true, operation: 'importUserMessage', locationOrigin: elsewhere.url });
    expect(err.message).toContain(`HTTP ${status}`);
    expect(err.message).toContain(elsewhere.url.replace('http://', ''));
    expect(err.message).toContain('not stored');
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain('/other/path');
    expect(elsewhere.imports).toHaveLength(0); // nothing re-POSTed, nothing turned into a GET
    expect(server.imports).toHaveLength(1);
    expect(onRetry).not.toHaveBeenCalled();
  });

  it('without a Location header names no host', async () => {
    const server = await start();
    server.script({ status: 307 });
    const err = await createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', token: 'tok' })
      .importGroupMessage({ ...textMessage, target: '1123376564212' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(EasemobRedirectError);
    expect(err).toMatchObject({ status: 307, locationOrigin: undefined, kind: 'fatal' });
  });

  it('over plain http to https names the scheme, the usual cause', async () => {
    const server = await start();
    server.script({ status: 301, headers: { location: 'https://a1.example.com/org/app/messages/users/import' } });
    const err = await createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', token: 'tok' }).importUserMessage(textMessage).catch((e) => e);
    expect(err.locationOrigin).toBe('https://a1.example.com');
  });
});

describe('a token request answered with a redirect', () => {
  it('is a fatal getAppToken error; the message was not sent and nothing was followed', async () => {
    const elsewhere = await start();
    const server = await start({ tokenSteps: [{ status: 308, headers: { location: `${elsewhere.url}/token?secret=${SECRET}` } }] });
    const client = createImportClient({ baseUrl: server.url, ...credentials, retry: { baseDelayMs: 1 } });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobRedirectError);
    expect(err).toMatchObject({ operation: 'getAppToken', status: 308, kind: 'fatal', sent: false, locationOrigin: elsewhere.url });
    expect(server.tokens).toHaveLength(1);
    expect(server.imports).toHaveLength(0);
    expect(elsewhere.imports).toHaveLength(0);
    expect(elsewhere.tokens).toHaveLength(0);
  });
});

describe('client.raw', () => {
  it('does not follow redirects either: it returns the 3xx', async () => {
    const elsewhere = await start();
    const server = await start();
    server.script({ status: 307, headers: { location: `${elsewhere.url}/x` } });
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', token: 'tok' });
    const { response } = await client.raw.POST('/{org_name}/{app_name}/messages/users/import', {
      params: { path: { org_name: 'org', app_name: 'app' } },
      body: textMessage,
    });
    expect(response.status).toBe(307);
    expect(elsewhere.imports).toHaveLength(0);
  });
});
