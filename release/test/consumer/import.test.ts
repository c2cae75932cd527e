// The mock's vitest global setup as a consumer uses it: one mock for the run, its URL through inject().
/// <reference types="@easemob-import/mock/vitest" />
import { createImportClient } from '@easemob-import/client';
import { expect, inject, it } from 'vitest';

it('imports a message through the mock the setup started', async () => {
  const client = createImportClient({ baseUrl: inject('mockUrl'), orgName: 'my-org', appName: 'my-app', token: 'consumer-token' });
  const { msgId } = await client.importGroupMessage({ from: 'u1', target: '1123376564212', type: 'txt', body: { msg: 'hi' }, msg_timestamp: 1656906628428 });
  expect(msgId).toMatch(/^[0-9]+$/);
});
