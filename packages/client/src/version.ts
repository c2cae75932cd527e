// Replaced with package.json's version when tsup builds (and vitest runs) the client.
declare const __CLIENT_VERSION__: string;

/** `easemob-import-client/<version> (node <version>)`; without the runtime part where there is no Node. */
export function defaultUserAgent(): string {
  const node = typeof process === 'object' ? process.versions?.node : undefined;
  return `easemob-import-client/${__CLIENT_VERSION__}${node ? ` (node ${node})` : ''}`;
}
