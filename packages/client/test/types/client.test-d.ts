import { assertType, describe, expectTypeOf, it } from 'vitest';
import type { Client } from 'openapi-fetch';
import {
  EasemobApiError,
  EasemobConfigError,
  EasemobError,
  EasemobRedirectError,
  EasemobTransportError,
  createImportClient,
  type CallOptions,
  type ErrorBody,
  type ErrorKind,
  type ImportClient,
  type ImportClientOptions,
  type ImportOutcome,
  type paths,
} from '../../src/index.js';

declare const client: ImportClient;

describe('createImportClient', () => {
  it('takes a static token or client credentials, not both and not neither', () => {
    expectTypeOf(createImportClient).returns.toEqualTypeOf<ImportClient>();
    assertType<ImportClientOptions>({ baseUrl: 'https://a1.easemob.com', orgName: 'o', appName: 'a', token: 't' });
    assertType<ImportClientOptions>({ baseUrl: 'https://a1.easemob.com', orgName: 'o', appName: 'a', clientId: 'i', clientSecret: 's', tokenTtl: 0 });
    // @ts-expect-error neither
    assertType<ImportClientOptions>({ baseUrl: 'https://a1.easemob.com', orgName: 'o', appName: 'a' });
    // @ts-expect-error both
    assertType<ImportClientOptions>({ baseUrl: 'https://a1.easemob.com', orgName: 'o', appName: 'a', token: 't', clientId: 'i', clientSecret: 's' });
    // @ts-expect-error a client id without its secret
    assertType<ImportClientOptions>({ baseUrl: 'https://a1.easemob.com', orgName: 'o', appName: 'a', clientId: 'i' });
  });

  it('takes a token interval only with client credentials, and a User-Agent with either', () => {
    assertType<ImportClientOptions>({ baseUrl: 'https://a1.easemob.com', orgName: 'o', appName: 'a', clientId: 'i', clientSecret: 's', minTokenIntervalMs: 0 });
    assertType<ImportClientOptions>({ baseUrl: 'https://a1.easemob.com', orgName: 'o', appName: 'a', token: 't', userAgent: 'me/1' });
    // @ts-expect-error a static token is never requested
    assertType<ImportClientOptions>({ baseUrl: 'https://a1.easemob.com', orgName: 'o', appName: 'a', token: 't', minTokenIntervalMs: 0 });
  });

  it('takes a rate, a limiter or `true` for the spec default', () => {
    assertType<ImportClientOptions['rateLimit']>(true);
    assertType<ImportClientOptions['rateLimit']>(50);
    assertType<ImportClientOptions['rateLimit']>({ take: async () => {} });
  });
});

describe('import methods', () => {
  it('resolve to a string msgId', () => {
    expectTypeOf(client.importUserMessage).returns.resolves.toEqualTypeOf<ImportOutcome>();
    expectTypeOf(client.importGroupMessage).returns.resolves.toEqualTypeOf<ImportOutcome>();
    expectTypeOf<ImportOutcome['msgId']>().toEqualTypeOf<string>();
  });

  it('check the message against the union', () => {
    void client.importUserMessage({ from: 'u1', target: 'u2', type: 'txt', body: { msg: 'hi' }, msg_timestamp: 1656906628428 });
    void client.importGroupMessage({ from: 'u1', target: '1123376564212', type: 'img', body: { url: 'https://x/a.png' } });
    // @ts-expect-error a number is not text
    void client.importUserMessage({ from: 'u1', target: 'u2', type: 'txt', body: { msg: 1 } });
    // @ts-expect-error `filname`
    void client.importGroupMessage({ from: 'u1', target: 'g', type: 'img', body: { url: 'u', filname: 'a.png' } });
  });

  it('take per-call options', () => {
    expectTypeOf(client.importUserMessage).parameter(1).toEqualTypeOf<CallOptions | undefined>();
    assertType<CallOptions>({ signal: AbortSignal.timeout(1), timeoutMs: 1, retryUncertain: true, onRetry: (e) => void e.error.kind });
  });

  it('expose the typed openapi-fetch client', () => {
    expectTypeOf(client.raw).toEqualTypeOf<Client<paths>>();
    void client.raw.POST('/{org_name}/{app_name}/messages/users/import', {
      params: { path: { org_name: 'o', app_name: 'a' } },
      body: { from: 'u1', target: 'u2', type: 'cmd', body: { action: 'x' } },
    });
    // @ts-expect-error not a path of the API
    void client.raw.POST('/{org_name}/{app_name}/messages/chatrooms/import', {});
  });
});

describe('errors', () => {
  it('share one `kind` type', () => {
    expectTypeOf<ErrorKind>().toEqualTypeOf<'retryable' | 'fatal' | 'uncertain'>();
    expectTypeOf<EasemobApiError['kind']>().toEqualTypeOf<ErrorKind>();
    expectTypeOf<EasemobTransportError['kind']>().toEqualTypeOf<ErrorKind>();
    expectTypeOf<EasemobApiError['status']>().toEqualTypeOf<number>();
    expectTypeOf<EasemobApiError['errorCode']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ErrorBody['error']>().toEqualTypeOf<string>();
  });

  it('say whether anything was sent, and what a redirect or a bad option was', () => {
    expectTypeOf<EasemobError['sent']>().toEqualTypeOf<boolean>();
    expectTypeOf<EasemobRedirectError>().toMatchTypeOf<EasemobApiError>();
    expectTypeOf<EasemobRedirectError['locationOrigin']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<EasemobConfigError>().toMatchTypeOf<EasemobError>();
    expectTypeOf<EasemobConfigError['field']>().toEqualTypeOf<string | undefined>();
  });
});
