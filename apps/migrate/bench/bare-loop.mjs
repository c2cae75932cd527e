// The baseline: a bare openapi-fetch loop posting the same messages at a fixed concurrency. Prints requests/s.
import createClient from 'openapi-fetch';

const [port, n, concurrency] = process.argv.slice(2).map(Number);
const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, headers: { Authorization: 'Bearer bench-token' } });
const path = { org_name: 'org', app_name: 'app' };
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const i = next++;
      const c = i % 1000;
      const { data, error } = await client.POST('/{org_name}/{app_name}/messages/users/import', {
        params: { path },
        body: { from: `a${c}`, target: `b${c}`, type: 'txt', body: { msg: `message ${i}` }, msg_timestamp: 1_600_000_000_000 + i },
      });
      if (error || typeof data?.data?.msg_id !== 'string') throw new Error('bad reply');
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ requests: n, seconds, rate: n / seconds })}\n`);
