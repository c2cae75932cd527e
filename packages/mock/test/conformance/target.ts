// Where the conformance suite sends its requests: the mock by default, or any server when
// EASEMOB_CONFORMANCE_URL is set. Credentials come from the environment and are never printed.

export interface Target {
  live: boolean;
  baseUrl: string;
  org: string;
  app: string;
  /** A bearer token the target accepts. */
  token(): Promise<string>;
  /** Fits an example body to the target: a live app gets its own users, credentials and fresh timestamps. */
  adapt(operationId: string, body: unknown): unknown;
}

type Env = Record<string, string | undefined>;

export const LIVE_REQUIRED = ['EASEMOB_ORG', 'EASEMOB_APP', 'EASEMOB_CLIENT_ID', 'EASEMOB_CLIENT_SECRET'];

export function targetFromEnv(env: Env, mockUrl: string): Target {
  const baseUrl = env.EASEMOB_CONFORMANCE_URL?.replace(/\/+$/, '');
  if (!baseUrl) {
    return {
      live: false,
      baseUrl: mockUrl,
      org: 'easemob-demo',
      app: 'conformance',
      token: async () => 'mock-token', // the mock checks that a bearer token is present, not its value
      adapt: (_op, body) => body,
    };
  }
  const missing = LIVE_REQUIRED.filter((name) => !env[name]);
  if (missing.length) {
    throw new Error(`EASEMOB_CONFORMANCE_URL is set, so these must be set too: ${missing.join(', ')}`);
  }
  const org = env.EASEMOB_ORG!;
  const app = env.EASEMOB_APP!;
  let token: Promise<string> | undefined;
  let lastTimestamp = Date.now();

  return {
    live: true,
    baseUrl,
    org,
    app,
    token: () =>
      (token ??= env.EASEMOB_TOKEN
        ? Promise.resolve(env.EASEMOB_TOKEN)
        : fetchToken(baseUrl, org, app, env.EASEMOB_CLIENT_ID!, env.EASEMOB_CLIENT_SECRET!)),
    adapt(operationId, body) {
      const copy = structuredClone(body) as Record<string, unknown>;
      if (operationId === 'getAppToken') {
        return { ...copy, client_id: env.EASEMOB_CLIENT_ID, client_secret: env.EASEMOB_CLIENT_SECRET };
      }
      if (env.EASEMOB_FROM) copy.from = env.EASEMOB_FROM;
      const target = operationId === 'importGroupMessage' ? env.EASEMOB_GROUP : env.EASEMOB_TO;
      if (target) copy.target = target;
      // A conversation only takes messages newer than its last one.
      if (typeof copy.msg_timestamp === 'number') copy.msg_timestamp = lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
      return copy;
    },
  };
}

async function fetchToken(baseUrl: string, org: string, app: string, id: string, secret: string): Promise<string> {
  const res = await fetch(`${baseUrl}/${org}/${app}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: id, client_secret: secret }),
  });
  if (!res.ok) throw new Error(`token request to ${baseUrl}/${org}/${app}/token failed with HTTP ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
