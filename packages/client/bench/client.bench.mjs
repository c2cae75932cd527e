// Requests per second of importUserMessage against bare fetch and bare openapi-fetch, all hitting the same local
// node:http server (in a worker thread, so it does not share the client's event loop) in the same run.
// The contenders take turns in short slices (rotating order), so changes in machine load hit all three alike;
// a rate is the requests completed over the time spent across all of a contender's slices.
// Env: BENCH_SLICE_MS (default 250), BENCH_SLICES (per contender, default 40), BENCH_CONCURRENCY (default 16).
import { createServer } from 'node:http';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

const reply = JSON.stringify({
  action: 'post', application: 'app-uuid', applicationName: 'app', organization: 'org', path: '/messages/users/import',
  uri: 'http://127.0.0.1/org/app/messages/users/import', entities: [], data: { msg_id: '1207431577307711916' },
  timestamp: 1656906628428, duration: 0,
});

if (!isMainThread) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) });
      res.end(reply);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
} else {
  const { createImportClient } = await import('../dist/index.js');
  const { default: createClient } = await import('openapi-fetch');
  const ms = Number(process.env.BENCH_SLICE_MS ?? 250);
  const rounds = Number(process.env.BENCH_SLICES ?? 40);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

  const worker = new Worker(new URL(import.meta.url));
  const port = await new Promise((resolve) => worker.once('message', resolve));
  const baseUrl = `http://127.0.0.1:${port}`;
  const message = { from: 'u1', target: 'u2', type: 'txt', body: { msg: 'hello' }, msg_timestamp: 1656906628428 };
  const path = { org_name: 'org', app_name: 'app' };
  const url = `${baseUrl}/org/app/messages/users/import`;
  const token = 'YWMt-bench-token';

  const bare = createClient({ baseUrl });
  const client = createImportClient({ baseUrl, orgName: 'org', appName: 'app', token });
  const contenders = {
    fetch: async () => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(message),
      });
      const body = await res.json();
      if (!res.ok || typeof body.data.msg_id !== 'string') throw new Error('bad reply');
    },
    'openapi-fetch': async () => {
      const { data, error } = await bare.POST('/{org_name}/{app_name}/messages/users/import', {
        params: { path }, body: message, headers: { authorization: `Bearer ${token}` },
      });
      if (error || typeof data.data.msg_id !== 'string') throw new Error('bad reply');
    },
    importUserMessage: async () => {
      await client.importUserMessage(message);
    },
  };

  async function measure(fn) {
    let done = 0;
    const until = performance.now() + ms;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) { await fn(); done++; }
    }));
    return { done, seconds: (performance.now() - started) / 1000 };
  }

  const names = Object.keys(contenders);
  for (const name of names) await measure(contenders[name]); // warm up connections and the JIT
  const totals = Object.fromEntries(names.map((n) => [n, { done: 0, seconds: 0 }]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length];
      const { done, seconds } = await measure(contenders[name]);
      totals[name].done += done;
      totals[name].seconds += seconds;
    }
  }
  const rps = Object.fromEntries(names.map((n) => [n, totals[n].done / totals[n].seconds]));

  console.log(`node ${process.version}, ${concurrency} in flight, ${rounds} slices of ${ms} ms per contender`);
  for (const n of names) console.log(`  ${n.padEnd(18)} ${rps[n].toFixed(0).padStart(6)} req/s   (${totals[n].done} requests)`);
  console.log(`  importUserMessage / openapi-fetch  ${(rps.importUserMessage / rps['openapi-fetch']).toFixed(3)}  (target >= 0.9)`);
  console.log(`  importUserMessage / fetch          ${(rps.importUserMessage / rps.fetch).toFixed(3)}`);
  console.log(`  openapi-fetch / fetch              ${(rps['openapi-fetch'] / rps.fetch).toFixed(3)}`);
  await worker.terminate();
}
