#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startMock } from './index.js';

const USAGE = `Usage:
  easemob-import-mock [--port 4010] [--host 127.0.0.1] [--dynamic] [--spec FILE]
  easemob-import-mock proxy --upstream https://HOST [--forward-invalid] [--port 4010] [--host 127.0.0.1] [--spec FILE]

Serves the Easemob message import contract (the bundled OpenAPI document) with Prism:
requests are validated, and an invalid response example is an error (--errors).

Options:
  --port N          port to listen on (default 4010; 0 picks a free one)
  --host ADDR       address to bind (default 127.0.0.1)
  --dynamic         generate responses from the schemas instead of the named examples
  --spec FILE       serve another OpenAPI document instead of the bundled one
  --upstream URL    (proxy) the real server; requests and its responses are validated
  --forward-invalid (proxy) send invalid requests on to the server instead of answering 422,
                    so its own answers to bad requests are checked against the spec too
  -h, --help        show this help

Examples:
  easemob-import-mock --port 4010
  curl -X POST http://127.0.0.1:4010/org/app/messages/users/import \\
    -H 'Authorization: Bearer any' -H 'Content-Type: application/json' -H 'Prefer: code=429' \\
    -d '{"from":"u1","target":"u2","type":"txt","body":{"msg":"hi"}}'
  easemob-import-mock proxy --upstream https://a1.easemob.com --port 4011`;

function usageError(message: string): never {
  console.error(`easemob-import-mock: ${message}\n\n${USAGE}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      dynamic: { type: 'boolean', default: false },
      spec: { type: 'string' },
      upstream: { type: 'string' },
      'forward-invalid': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (e) {
  usageError((e as Error).message);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const [command = 'mock', ...extra] = positionals;
if (!['mock', 'proxy'].includes(command) || extra.length) usageError(`unknown argument: ${positionals.join(' ')}`);
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) usageError(`--port must be a port number, got "${values.port}"`);
if (command === 'proxy' && !values.upstream) usageError('proxy needs --upstream https://HOST');
if (command === 'mock' && (values.upstream || values['forward-invalid'])) usageError('--upstream and --forward-invalid are for the proxy command');
if (command === 'proxy' && values.dynamic) usageError('--dynamic is for the mock command');

try {
  const mock = await startMock({
    port,
    host: values.host,
    dynamic: values.dynamic,
    document: values.spec,
    upstream: command === 'proxy' ? values.upstream : undefined,
    validateRequest: !values['forward-invalid'],
    onLog: (line) => console.log(line),
  });
  let stopping = false;
  const stop = () => {
    stopping = true;
    void mock.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await mock.exited;
  if (!stopping) console.error(`easemob-import-mock: Prism exited on its own (code ${code})`);
  process.exit(stopping ? 0 : 1);
} catch (e) {
  console.error(`easemob-import-mock: ${(e as Error).message}`);
  process.exit(1);
}
