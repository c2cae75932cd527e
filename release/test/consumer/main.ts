// A consumer outside the workspace: the published client, spec bundle and mock, as another team uses them.
import { createImportClient, EasemobApiError, type ImportMessage } from '@easemob-import/client';
import { startMock } from '@easemob-import/mock';
import spec from '@easemob-import/spec/openapi.json' with { type: 'json' };

const mock = await startMock();
try {
  const client = createImportClient({ baseUrl: mock.url, orgName: 'my-org', appName: 'my-app', token: 'consumer-token' });
  const message: ImportMessage = { from: 'u1', target: 'u2', type: 'txt', body: { msg: 'hello' }, msg_timestamp: 1656906628428 };
  const { msgId } = await client.importUserMessage(message);
  console.log(JSON.stringify({ msgId, isApiError: typeof EasemobApiError === 'function', operations: Object.keys(spec.paths).length }));
} finally {
  await mock.close();
}
