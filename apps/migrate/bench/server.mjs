// A fast local stand-in for Easemob's import endpoints, in its own process so it never shares an event loop
// with what is measured. With ENFORCE_RATE=n it answers 429 reach_limit beyond n accepted calls in any
// 1000 ms window, per endpoint. With LATENCY_MS=n every import call is answered n ms after it arrived (a distant
// server); token requests too. Prints its port, then on SIGTERM (or "stats" on stdin) its counts as JSON.
import { createServer } from 'node:http';

const enforce = Number(process.env.ENFORCE_RATE ?? 0);
const latency = Number(process.env.LATENCY_MS ?? 0);
const windows = { users: [], chatgroups: [] };
const stats = { users: { ok: 0, limited: 0, first: 0, last: 0 }, chatgroups: { ok: 0, limited: 0, first: 0, last: 0 } };
const arrivals = { users: [], chatgroups: [] };
let id = 1207431577307711916n;

const server = createServer((req, res) => {
  const arrived = performance.now(); // counted on arrival, as a rate limiter in front of a service would
  req.resume();
  req.on('end', () => {
    if (req.url === '/warmup') return res.writeHead(204).end(); // a real server is warm; so is this one before a measurement
    if (req.url.endsWith('/token')) {
      const body = JSON.stringify({ access_token: 'bench-token', expires_in: 7200, application: 'bench' });
      const answer = () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      return latency ? setTimeout(answer, latency) : answer();
    }
    const endpoint = req.url.includes('/chatgroups/') ? 'chatgroups' : 'users';
    const now = arrived;
    const s = stats[endpoint];
    if (enforce) {
      const w = windows[endpoint];
      while (w.length && now - w[0] >= 1000) w.shift();
      if (w.length >= enforce) {
        s.limited++;
        (s.limited_at ??= []).push(Math.round(now - (s.first || now)));
        const body = JSON.stringify({ error: 'reach_limit', error_description: 'This request has reached api limit' });
        return res.writeHead(429, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      }
      w.push(now);
    }
    s.ok++;
    arrivals[endpoint].push(now);
    s.first ||= now;
    s.last = now;
    const body = JSON.stringify({ action: 'post', application: 'bench', applicationName: 'app', organization: 'org', path: req.url, uri: req.url, entities: [], data: { msg_id: String(id++) }, timestamp: Date.now(), duration: 0 });
    const answer = () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    if (latency) setTimeout(answer, Math.max(0, arrived + latency - performance.now()));
    else answer();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
// The tightest span of enforce+1 accepted arrivals: under 1000 ms would have been one call too many.
for (const e of Object.keys(stats)) {
  Object.defineProperty(stats[e], 'tightest_ms', { enumerable: true, get: () => {
    const a = arrivals[e];
    const k = enforce || 100;
    let min = Infinity;
    for (let i = k; i < a.length; i++) min = Math.min(min, a[i] - a[i - k]);
    return Number.isFinite(min) ? Math.round(min * 10) / 10 : null;
  } });
}
process.stdin.setEncoding('utf8').on('data', () => process.stdout.write(`${JSON.stringify(stats)}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
