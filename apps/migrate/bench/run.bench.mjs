// Benchmarks of the built CLI (dist/cli.js), each printed as a ratio against its bar, measured in this run:
//   1. throughput with pacing off vs a bare openapi-fetch loop at the same concurrency (bar: >= 0.8)
//   2. --rate 100 for 30 s vs a server enforcing 100/s per endpoint (bar: >= 99 calls/s, no 429)
//   3. a 1,000,000-line file: peak RSS of validate and of a resumed run (bar: <= 200 MB), validate lines/s
//   4. validate's estimate (latency measured with --probe) vs a measured run, on a file where one conversation
//      dominates, against a server answering after BENCH_LATENCY_MS (bar: ratio 0.8 to 1.25)
// Env: BENCH_REQUESTS (per throughput round, default 6000), BENCH_ROUNDS (default 3), BENCH_CONCURRENCY
// (default 32), BENCH_RATE_SECONDS (default 30), BENCH_BIG_LINES (default 1000000), BENCH_LATENCY_MS (default 25),
// BENCH_ONLY (comma-separated subset of throughput,paced,big,estimate).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const CLI = here('../dist/cli.js');
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 6000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 30);
const BIG = Number(process.env.BENCH_BIG_LINES ?? 1_000_000);
const work = mkdtempSync(join(tmpdir(), 'easemob-import-bench-'));
const results = [];

function line(i, conversations, chatType = 'single') {
  const c = i % conversations;
  return chatType === 'group'
    ? `{"chat_type":"group","source_id":"g${i}","from":"u${c}","target":"${1_000_000_000 + c}","type":"txt","body":{"msg":"message ${i}"},"msg_timestamp":${1_600_000_000_000 + i}}\n`
    : `{"chat_type":"single","source_id":"s${i}","from":"a${c}","target":"b${c}","type":"txt","body":{"msg":"message ${i}"},"msg_timestamp":${1_600_000_000_000 + i}}\n`;
}

async function writeFile(path, n, make) {
  const out = createWriteStream(path);
  for (let i = 0; i < n; i += 10_000) {
    let chunk = '';
    for (let j = i; j < Math.min(n, i + 10_000); j++) chunk += make(j);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function exec(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, EASEMOB_IMPORT_PROGRESS_MS: '3600000', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function startServer(env = {}) {
  const child = spawn(process.execPath, [here('./server.mjs')], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdout.setEncoding('utf8');
  const lines = [];
  let wake;
  child.stdout.on('data', (d) => {
    lines.push(...d.split('\n').filter(Boolean));
    wake?.();
  });
  const nextLine = async () => {
    while (!lines.length) await new Promise((r) => (wake = r));
    return lines.shift();
  };
  const port = Number(await nextLine());
  for (let i = 0; i < 200; i++) await (await fetch(`http://127.0.0.1:${port}/warmup`, { method: 'POST', body: '{}' })).arrayBuffer();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async stats() {
      child.stdin.write('stats\n');
      return JSON.parse(await nextLine());
    },
    async close() {
      child.kill('SIGTERM');
      await once(child, 'close');
    },
  };
}

const conn = (url) => ['--base-url', url, '--org', 'org', '--app', 'app', '--token', 'bench-token'];
const report = (name, value, bar, pass) => {
  results.push({ name, value, bar, pass });
  console.log(`${pass ? 'ok  ' : 'FAIL'} ${name}: ${value} (bar: ${bar})`);
};

async function throughput() {
  const server = await startServer();
  const file = join(work, 'throughput.jsonl');
  await writeFile(file, REQUESTS, (i) => line(i, 1000));
  let bare = { requests: 0, seconds: 0 };
  let cli = { requests: 0, seconds: 0 };
  // Alternate the contenders so changes in machine load hit both alike; each rate is total requests / total time.
  for (let round = 0; round < ROUNDS; round++) {
    const b = await exec([here('./bare-loop.mjs'), String(server.port), String(REQUESTS), String(CONCURRENCY)]);
    if (b.code !== 0) throw new Error(`bare loop failed: ${b.stderr}`);
    const br = JSON.parse(b.stdout);
    bare = { requests: bare.requests + br.requests, seconds: bare.seconds + br.seconds };

    const state = join(work, `throughput-state-${round}`);
    const c = await exec([CLI, 'run', file, '--state', state, ...conn(server.url), '--rate', '0', '--concurrency', String(CONCURRENCY), '--json']);
    if (c.code !== 0) throw new Error(`cli run failed (${c.code}): ${c.stderr}`);
    const s = JSON.parse(c.stdout);
    cli = { requests: cli.requests + s.imported, seconds: cli.seconds + s.elapsed_ms / 1000 };
    console.log(`  round ${round + 1}: bare openapi-fetch ${br.rate.toFixed(0)}/s, easemob-import run ${(s.imported / (s.elapsed_ms / 1000)).toFixed(0)}/s`);
    rmSync(state, { recursive: true, force: true });
  }
  await server.close();
  const bareRate = bare.requests / bare.seconds;
  const cliRate = cli.requests / cli.seconds;
  const ratio = cliRate / bareRate;
  report(`throughput, pacing off, concurrency ${CONCURRENCY}: run ${cliRate.toFixed(0)}/s vs bare openapi-fetch ${bareRate.toFixed(0)}/s`, `ratio ${ratio.toFixed(2)}`, '>= 0.8', ratio >= 0.8);
}

async function paced() {
  const server = await startServer({ ENFORCE_RATE: '100' });
  const file = join(work, 'paced.jsonl');
  const n = 100 * RATE_SECONDS;
  // both endpoints, each at 100/s: the CLI paces them separately, the server enforces them separately
  await writeFile(file, 2 * n, (i) => line(i, 500, i % 2 ? 'group' : 'single'));
  const c = await exec([CLI, 'run', file, '--state', join(work, 'paced-state'), ...conn(server.url), '--rate', '100', '--json']);
  const stats = await server.stats();
  await server.close();
  if (c.code !== 0) throw new Error(`paced run failed (${c.code}): ${c.stderr}`);
  const summary = JSON.parse(c.stdout);
  for (const [endpoint, s] of Object.entries(stats)) {
    const rate = (s.ok - 1) / ((s.last - s.first) / 1000);
    report(`--rate 100 for ${RATE_SECONDS} s, ${endpoint} endpoint, server enforcing 100/s: ${s.ok} accepted, ${s.limited} answered 429${s.limited ? ` (at ${s.limited_at.join(', ')} ms)` : ''}, tightest 101 arrivals ${s.tightest_ms} ms`, `${rate.toFixed(2)} calls/s, ${s.limited} x 429`, '>= 99 calls/s, no 429', rate >= 99 && s.limited === 0);
  }
  console.log(`  run summary: ${summary.rate_per_s} calls/s over both endpoints including start-up, rate_limited ${summary.rate_limited}, p50 ${summary.latency_ms.p50} ms`);
}

async function big() {
  const file = join(work, 'big.jsonl');
  await writeFile(file, BIG, (i) => line(i, 10_000, i % 5 === 4 ? 'group' : 'single'));
  const rss = join(work, 'maxrss');
  const v = await exec(['-r', here('./maxrss.cjs'), CLI, 'validate', file, '--json'], { MAXRSS_FILE: rss });
  if (v.code !== 0) throw new Error(`validate failed (${v.code}): ${v.stderr.slice(0, 500)}`);
  const validated = JSON.parse(v.stdout);
  const validateMb = Number(readFileSync(rss, 'utf8')) / 1024;
  const mb = (statSync(file).size / 1048576).toFixed(0);
  report(`validate, ${BIG.toLocaleString('en')} lines (${mb} MB): peak RSS`, `${validateMb.toFixed(0)} MB`, '<= 200 MB', validateMb <= 200);
  report(`validate, ${BIG.toLocaleString('en')} lines: speed`, `${validated.lines_per_s.toLocaleString('en')} lines/s (${(validated.elapsed_ms / 1000).toFixed(1)} s)`, 'reported', true);

  // A resumed run over the same file whose journal says every line is imported: streams the file, holds the
  // journal's state of a million lines, sends nothing.
  const state = join(work, 'big-state');
  rmSync(state, { recursive: true, force: true });
  mkdirSync(state, { recursive: true });
  await writeFile(join(state, 'journal.jsonl'), BIG, (i) => {
    const id = i % 5 === 4 ? `g${i}` : `s${i}`;
    return `{"op":"send","id":"${id}","line":${i + 1},"msg_timestamp":${1_600_000_000_000 + i}}\n{"op":"imported","id":"${id}","line":${i + 1},"chat_type":"${id[0] === 'g' ? 'group' : 'single'}","msg_id":"${1207431577307711916n + BigInt(i)}","msg_timestamp":${1_600_000_000_000 + i}}\n`;
  });
  const server = await startServer();
  const r = await exec(['-r', here('./maxrss.cjs'), CLI, 'run', file, '--state', state, ...conn(server.url), '--json'], { MAXRSS_FILE: rss });
  await server.close();
  if (r.code !== 0) throw new Error(`resumed run failed (${r.code}): ${r.stderr.slice(0, 500)}`);
  const resumed = JSON.parse(r.stdout);
  const runMb = Number(readFileSync(rss, 'utf8')) / 1024;
  report(`run resumed over ${BIG.toLocaleString('en')} imported lines (${resumed.skipped.toLocaleString('en')} skipped in ${(resumed.elapsed_ms / 1000).toFixed(1)} s): peak RSS`, `${runMb.toFixed(0)} MB`, '<= 200 MB', runMb <= 200 && resumed.skipped === BIG);
}

async function estimateVsRun() {
  const latency = Number(process.env.BENCH_LATENCY_MS ?? 25);
  const server = await startServer({ LATENCY_MS: String(latency) });
  const file = join(work, 'dominant.jsonl');
  // In time order: one group of 300 messages among 40 one-to-one chats of 10 messages each.
  await writeFile(file, 700, (i) => (i % 7 < 3 ? line(i, 1, 'group') : line(i, 40)));
  const v = await exec([CLI, 'validate', file, '--json', '--probe', '--base-url', server.url, '--org', 'org', '--app', 'app', '--client-id', 'bench', '--client-secret', 'bench']);
  if (v.code !== 0) throw new Error(`validate --probe failed (${v.code}): ${v.stderr}`);
  const e = JSON.parse(v.stdout).estimate;
  const estimated = Math.max(e.endpoints.single.seconds, e.endpoints.group.seconds, e.concurrency_s);
  const r = await exec([CLI, 'run', file, '--state', join(work, 'dominant-state'), ...conn(server.url), '--json']);
  await server.close();
  if (r.code !== 0) throw new Error(`run failed (${r.code}): ${r.stderr}`);
  const summary = JSON.parse(r.stdout);
  const measured = summary.elapsed_ms / 1000;
  const ratio = estimated / measured;
  const perCall = (measured * 1000) / e.endpoints.group.largest[0].lines;
  report(
    `estimate vs run, one group of ${e.endpoints.group.largest[0].lines} of 700 lines, server latency ${latency} ms (probed ${e.latency_ms} ms), set by ${e.bound}: estimated ${estimated.toFixed(1)} s, measured ${measured.toFixed(1)} s`,
    `ratio ${ratio.toFixed(2)} (the run: call latency p50 ${summary.latency_ms.p50} ms, ${perCall.toFixed(0)} ms per line of the largest conversation)`,
    '0.8 to 1.25',
    ratio >= 0.8 && ratio <= 1.25,
  );
}

try {
  console.log(`easemob-import benchmarks (node ${process.version}, ${(await import('node:os')).cpus().length} cpus)`);
  const only = new Set((process.env.BENCH_ONLY ?? 'throughput,paced,big,estimate').split(','));
  if (only.has('throughput')) await throughput();
  if (only.has('paced')) await paced();
  if (only.has('big')) await big();
  if (only.has('estimate')) await estimateVsRun();
} finally {
  rmSync(work, { recursive: true, force: true });
}
const failed = results.filter((r) => !r.pass);
console.log(failed.length ? `${failed.length} of ${results.length} below the bar` : `all ${results.length} at or above the bar`);
process.exitCode = failed.length ? 1 : 0;
