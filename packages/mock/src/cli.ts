#!/usr/bin/env node
// easemob-import-mock: the contract mock (or the validating proxy) as a command. Exit codes: 0 stopped on request,
// 1 Prism could not start or stopped on its own, 2 usage error.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import { startMock, type StartMockOptions } from './index.js';

const NAME = 'easemob-import-mock';

function portNumber(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('not a port number (0 to 65535; 0 picks a free one).');
  return Number(value);
}

interface Flags { port: number; host: string; spec?: string; dynamic?: boolean; upstream?: string; forwardInvalid?: boolean }

function withCommonOptions(command: Command): Command {
  return command
    .option('--port <n>', 'port to listen on (0 picks a free one)', portNumber, 4010)
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--spec <file>', 'serve another OpenAPI document instead of the bundled one');
}

/** Starts Prism, prints its log, and settles with the exit code once it has stopped. */
async function serve(options: StartMockOptions & { port: number; host: string }): Promise<number> {
  // Prism's start-up lines are held back until it listens: when it fails, they end in its whole usage text.
  const early: string[] = [];
  let live = false;
  let mock: Awaited<ReturnType<typeof startMock>> | undefined;
  // Handlers first: a signal that arrives while Prism starts (or just after it says it listens) must stop it,
  // not kill this process by the default action and leave Prism behind.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void mock?.close();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
  try {
    mock = await startMock({ ...options, onLog: (line) => (live ? console.log(line) : early.push(line)) });
  } catch (e) {
    const message = (e as Error).message;
    if (/EADDRINUSE/.test(message)) {
      console.error(`${NAME}: port ${options.port} on ${options.host} is in use (another mock?); choose another with --port N, or --port 0 for any free port`);
    } else {
      console.error(`${NAME}: ${message}`);
    }
    return 1;
  }
  if (stopping) void mock.close();
  for (const line of early) console.log(line);
  live = true;

  // A wrapper that ends without passing its signal on (`npx ... &` then `kill $!`) leaves this process to be
  // re-parented: stop Prism then too, so it never outlives the command the user started.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stop(), 500).unref();

  const code = await mock.exited;
  if (!stopping) console.error(`${NAME}: Prism exited on its own (code ${code})`);
  return stopping ? 0 : 1;
}

export async function main(argv: string[]): Promise<number> {
  let run: Promise<number> | undefined;
  const program = withCommonOptions(new Command(NAME))
    .description(
      'Serve the Easemob message import contract (the bundled OpenAPI document) with Prism: requests are validated, and an invalid response example is an error (--errors).',
    )
    .version(pkg.version, '-v, --version')
    .option('--dynamic', 'generate responses from the schemas instead of the named examples')
    .allowExcessArguments()
    .enablePositionalOptions()
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ ${NAME} --port 4010
  $ curl -X POST http://127.0.0.1:4010/org/app/messages/users/import \\
      -H 'Authorization: Bearer any' -H 'Content-Type: application/json' -H 'Prefer: code=429' \\
      -d '{"from":"u1","target":"u2","type":"txt","body":{"msg":"hi"}}'
  $ ${NAME} proxy --upstream https://a1.easemob.com --port 4011`,
    )
    .action((flags: Flags) => {
      const [command] = program.args;
      if (command !== undefined) program.error(`error: unknown command '${command}'; the only command is proxy (without one, the mock is served)`);
      run = serve({ port: flags.port, host: flags.host, document: flags.spec, dynamic: Boolean(flags.dynamic) });
    });

  withCommonOptions(program.command('proxy'))
    .description('Validate the traffic to a real server: requests before they are sent, and its responses.')
    .requiredOption('--upstream <url>', 'the real server, e.g. https://a1.easemob.com')
    .option('--forward-invalid', 'send invalid requests on instead of answering 422, so the server\'s answers to them are checked too')
    .exitOverride()
    .action((flags: Flags) => {
      run = serve({ port: flags.port, host: flags.host, document: flags.spec, upstream: flags.upstream, validateRequest: !flags.forwardInvalid });
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    // Help and version are successes; anything else commander rejects is a usage error (already printed).
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return run ?? 0;
}

process.exit(await main(process.argv.slice(2)));
