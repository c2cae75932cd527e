// `validate --probe`: the latency of one call to the target, measured with token requests, which import
// nothing. The first requests pay for the connection (DNS, TCP, TLS) and for warming up both ends, and are left
// out, as a run keeps its connections open.
import { createImportClient } from '@easemob-import/client';
import type { Connection } from '../api.js';
import { UsageError } from '../errors.js';

const TOKEN_PATH = '/{org_name}/{app_name}/token';
export const PROBE_CALLS = 5;
const WARM_UP_CALLS = 2;

export interface Probe {
  /** The median of the measured calls. */
  latency_ms: number;
  samples_ms: number[];
}

export async function probeLatency(connection: Connection, calls = PROBE_CALLS): Promise<Probe> {
  if (!connection.clientId || !connection.clientSecret) {
    throw new UsageError('--probe times token requests, so it needs a client ID and secret (--client-id and --client-secret, or EASEMOB_CLIENT_ID and EASEMOB_CLIENT_SECRET)');
  }
  const client = createImportClient({ baseUrl: connection.baseUrl, orgName: connection.orgName, appName: connection.appName, clientId: connection.clientId, clientSecret: connection.clientSecret });
  const body = { grant_type: 'client_credentials' as const, client_id: connection.clientId, client_secret: connection.clientSecret };
  const samples: number[] = [];
  for (let i = 0; i < WARM_UP_CALLS + calls; i++) {
    const t0 = performance.now();
    let status: number;
    try {
      const { response } = await client.raw.POST(TOKEN_PATH, { params: { path: { org_name: connection.orgName, app_name: connection.appName } }, body, signal: AbortSignal.timeout(10_000) });
      await response.body?.cancel().catch(() => {});
      status = response.status;
    } catch (e) {
      const reason = (e as Error).name === 'TimeoutError' ? 'no answer within 10 s' : 'the host could not be reached';
      throw new UsageError(`--probe: ${reason} (${new URL(connection.baseUrl).host})`);
    }
    if (status >= 300) throw new UsageError(`--probe: the token request was answered ${status}; check --base-url, --org, --app and the client ID and secret`);
    if (i >= WARM_UP_CALLS) samples.push(performance.now() - t0);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { latency_ms: Math.round(sorted[Math.floor(sorted.length / 2)]), samples_ms: samples.map(Math.round) };
}
