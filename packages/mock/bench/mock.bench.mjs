// Start-up time and requests per second of the mock on loopback, next to a plain node http
// server measured in the same run (both in their own process), so the figures read as ratios.
// Bounded: BENCH_SECONDS per target (default 5), BENCH_CONCURRENCY requests in flight (16).
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { startMock } from '../dist/index.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const starts = Number(process.env.BENCH_STARTS ?? 3);
const path = '/easemob-demo/bench/messages/users/import';
const body = JSON.stringify({ from: 'user1', target: 'user2', type: 'txt', body: { msg: 'hello' }, msg_timestamp: 1700000000000 });

// The baseline answers like the mock does: reads and parses the body, sends a fixed envelope.
const baselineSource = `
const envelope = JSON.stringify({ action: 'post', organization: 'o', application: 'a', applicationName: 'b', uri: 'u',
  path: '/messages/users/import', entities: [], data: { msg_id: '10212123848595' }, timestamp: 1, duration: 1 });
const server = require('node:http').createServer((req, res) => {
  let b = ''; req.on('data', (c) => (b += c)); req.on('end', () => { JSON.parse(b);
    res.writeHead(200, { 'content-type': 'application/json' }); res.end(envelope); });
});
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
process.stdin.on('close', () => process.exit(0)).resume();`;

async function startBaseline() {
  const child = spawn(process.execPath, ['-e', baselineSource], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = await new Promise((resolve) => createInterface({ input: child.stdout }).once('line', (l) => resolve([l])));
  return { url: line.replace('listening on ', ''), close: () => new Promise((r) => (child.once('exit', r), child.kill())) };
}

/** Runs `concurrency` request loops for `seconds`; returns requests/s and latency percentiles. */
async function load(url) {
  const { hostname, port } = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const request = () =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = http.request(
        { agent, hostname, port, path, method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HTTP ${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const run = async (ms, latencies) => {
    const end = performance.now() + ms;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) latencies.push(await request());
    }));
  };
  await run(1000, []); // warm-up
  const latencies = [];
  const t0 = performance.now();
  await run(seconds * 1000, latencies);
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  return { rps: latencies.length / elapsed, p50: pct(0.5), p99: pct(0.99) };
}

async function timeStart(start) {
  const times = [];
  for (let i = 0; i < starts; i++) {
    const t0 = performance.now();
    const server = await start();
    times.push(performance.now() - t0);
    await server.close();
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const round = (n) => Math.round(n).toLocaleString('en-US');
console.log(`mock bench: ${seconds} s per target, ${concurrency} concurrent keep-alive requests, node ${process.version}, loopback`);

const mockStart = await timeStart(() => startMock());
const baselineStart = await timeStart(startBaseline);
console.log(`start-up (median of ${starts}): mock ${round(mockStart)} ms, plain node http ${round(baselineStart)} ms (${(mockStart / baselineStart).toFixed(1)}x)`);

const mock = await startMock();
const mockLoad = await load(mock.url);
await mock.close();
const baseline = await startBaseline();
const baseLoad = await load(baseline.url);
await baseline.close();

for (const [name, r] of [['mock (Prism)', mockLoad], ['plain node http', baseLoad]]) {
  console.log(`${name.padEnd(16)} ${round(r.rps).padStart(7)} req/s   p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms`);
}
console.log(`mock / plain node http: ${(mockLoad.rps / baseLoad.rps).toFixed(3)} of the throughput (${(baseLoad.rps / mockLoad.rps).toFixed(1)}x slower)`);
