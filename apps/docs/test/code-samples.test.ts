// Every code sample on both pages runs against the Prism mock (which validates each request against the
// contract), so the site cannot show code that fails. Samples are read from the built pages themselves.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, inject, test } from 'vitest';
import { serverUrl } from '../src/code-samples.mjs';
import { PAGES, type CodeSample, operations, pageDefinition, requestExamples, root } from './support';

const run = promisify(execFile);
const env = { ...process.env, EASEMOB_TOKEN: 'docs-sample-token' };
const hasCurl = spawnSync('sh', ['-c', 'command -v curl']).status === 0;

/** Words of one shell command as bash would pass them: quotes, $VAR in double quotes, backslash-newline. */
function shellWords(command: string, vars: Record<string, string | undefined>): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (c === '\\' && command[i + 1] === '\n') i++;
    else if (/\s/.test(c)) (word !== undefined && words.push(word), (word = undefined));
    else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      const end = command.indexOf('"', i + 1);
      word = (word ?? '') + command.slice(i + 1, end).replace(/\$(\w+)/g, (_, v) => vars[v] ?? '');
      i = end;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

interface CurlRequest { method: string; url: string; headers: Record<string, string>; body: string }

/** The sample's commands (blank-line separated, `#` comments dropped), parsed as curl arguments. */
function curlRequests(source: string, vars = env): CurlRequest[] {
  return source.split(/\n\s*\n/).map((block) => {
    const words = shellWords(block.split('\n').filter((l) => !l.startsWith('#')).join('\n'), vars);
    expect(words[0]).toBe('curl');
    const req: CurlRequest = { method: 'GET', url: '', headers: {}, body: '' };
    for (let i = 1; i < words.length; i++) {
      const w = words[i];
      if (w === '-X') req.method = words[++i];
      else if (w === '-H') {
        const [name, ...value] = words[++i].split(':');
        req.headers[name.trim().toLowerCase()] = value.join(':').trim();
      } else if (w === '-d') req.body = words[++i];
      else if (!w.startsWith('-')) req.url = w;
      else throw new Error(`curl option ${w} is not understood by this test`);
    }
    return req;
  });
}

type Reply = { status: number; body: any };

async function runCurlSample(source: string): Promise<Reply[]> {
  if (!hasCurl) {
    // Same requests without the curl binary, from the parsed commands.
    return Promise.all(
      curlRequests(source).map(async (r) => {
        const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body || undefined });
        return { status: res.status, body: await res.json() };
      }),
    );
  }
  // Run the sample as written; a shell function only adds status output to each curl call.
  const wrapper = `curl() { command curl --silent --show-error --write-out '\\n%{http_code}\\n' "$@"; }\n`;
  const { stdout } = await run('bash', ['-c', wrapper + source], { env });
  return [...stdout.matchAll(/([\s\S]*?)\n(\d{3})\n/g)].map((m) => ({ status: Number(m[2]), body: JSON.parse(m[1]) }));
}

describe.each(PAGES)('code samples on the $code page', ({ file }) => {
  const doc = pageDefinition(file);
  const server = serverUrl(doc);
  const mockUrl = inject('mockUrl').replace(/\/$/, '');
  const onMock = (source: string) => {
    expect(source).toContain(server); // the samples name the real server; the test points them at the mock
    return source.split(server).join(mockUrl);
  };

  describe.each(operations(doc))('$operationId', (op) => {
    const examples = requestExamples(doc, op);
    const sample = (label: string) => op['x-codeSamples'].find((s: CodeSample) => s.label === label)!;
    const secured = !(Array.isArray(op.security) && op.security.length === 0);

    test('has a curl and a client sample', () => {
      expect(op['x-codeSamples'].map((s) => s.label)).toEqual(['curl', '@easemob-import/client']);
    });

    test('the curl sample sends every named example unchanged, with the documented headers', () => {
      const requests = curlRequests(sample('curl').source);
      expect(requests.map((r) => JSON.parse(r.body))).toEqual(examples.map((e) => e.value));
      for (const r of requests) {
        expect(r.method).toBe('POST');
        expect(r.url).toBe(server + op.path.replace('{org_name}', 'my-org').replace('{app_name}', 'my-app'));
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.headers.authorization).toBe(secured ? `Bearer ${env.EASEMOB_TOKEN}` : undefined);
      }
    });

    test(`the curl sample runs against the mock${hasCurl ? '' : ' (curl not installed: same requests with fetch)'}`, async () => {
      const replies = await runCurlSample(onMock(sample('curl').source));
      expect(replies.map((r) => r.status)).toEqual(examples.map(() => 200));
      for (const { body } of replies) {
        if (secured) expect(body.data.msg_id).toMatch(/^\d+$/);
        else expect(body.access_token).toEqual(expect.any(String));
      }
    });

    test('the client sample runs against the mock', async () => {
      // --input-type=module resolves '@easemob-import/client' from this package, as in a user's project.
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', onMock(sample('@easemob-import/client').source)], { cwd: root, env });
      const ids = stdout.trim().split('\n');
      expect(ids).toHaveLength(secured ? examples.length : 1);
      for (const id of ids) expect(id).toMatch(/^\d+$/);
    });
  });
});
