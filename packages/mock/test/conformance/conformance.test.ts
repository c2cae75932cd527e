// Runs the table in cases.ts against the mock, or against any server when
// EASEMOB_CONFORMANCE_URL is set (see README). Against a server that is not Prism there is
// no sl-violations header, and Prefer headers mean nothing, so those checks are mock-only.
import { describe, expect, inject, it } from 'vitest';
import { operation } from './bundle.js';
import {
  acceptedRequests,
  authCases,
  declaredErrors,
  declaredTokenErrors,
  envelopeFields,
  importOperations,
  invalidImportBodies,
  invalidTokenBodies,
  mediaTypeCases,
  unparsableBodies,
  messageExamples,
  tokenExample,
  tokenResponseFields,
  type BodyCase,
} from './cases.js';
import { changed, jsonType, send, type Reply } from './http.js';
import { targetFromEnv } from './target.js';

const target = targetFromEnv(process.env, inject('mockUrl'));

function expectErrorBody(reply: Reply) {
  // A Prism proxy in front of a server answers some requests itself, in its own
  // problem+json shape; everything else must carry Easemob's error body.
  if (target.live && reply.headers.get('content-type')?.startsWith('application/problem+json')) return;
  expect(jsonType(reply.body, 'error'), `error body: ${JSON.stringify(reply.body)}`).toBe('string');
}

/** A 200 import answer: the named example, with a fresh 18-19 digit `msg_id`. */
function expectImported(reply: Reply, imported: any) { // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(reply.body.data.msg_id).toMatch(/^\d{18,19}$/);
  if (!target.live) expect(reply.body).toEqual({ ...imported, data: { ...imported.data, msg_id: reply.body.data.msg_id } });
}

function rejects(operationId: string, rows: BodyCase[]) {
  const op = operation(operationId);
  const mine = rows.filter((row) => !row.only || row.only === operationId);
  it.each(mine)('rejects $name with $status', async (row) => {
    const example = target.adapt(operationId, op.requestExamples[row.example]);
    const body = row.replace ?? changed(example, row.set, row.unset);
    const reply = await send(target, op, { body });
    expect(reply.status, JSON.stringify(reply.body)).toBe(row.status);
    expectErrorBody(reply);
    if (!target.live || reply.headers.has('sl-violations')) {
      expect([...reply.named], 'fields named by the validation errors').toEqual(expect.arrayContaining(row.names));
    }
    if (target.live) return;
    if (row.answer) expect(reply.body, 'Easemob\'s wording').toEqual(op.responses['400'][row.answer]);
    if (row.violations !== undefined) expect(reply.violations, reply.headers.get('sl-violations') ?? '').toBe(row.violations);
  });
}

function answersPreferredErrors(operationId: string, declared: Record<number, string[]>) {
  const op = operation(operationId);
  const valid = op.requestExamples[Object.keys(op.requestExamples)[0]];

  it('declares exactly the error statuses and examples in the table', () => {
    const { 200: _ok, ...errors } = op.responses;
    expect(Object.fromEntries(Object.entries(errors).map(([s, ex]) => [s, Object.keys(ex)]))).toEqual(
      Object.fromEntries(Object.entries(declared).map(([s, names]) => [s, names])),
    );
  });

  it.each(Object.entries(declared))('Prefer: code=%s returns that status with its first example', async (status, names) => {
    const reply = await send(target, op, { body: valid, headers: { prefer: `code=${status}` } });
    expect(reply.status).toBe(Number(status));
    expect(reply.body).toEqual(op.responses[status][names[0]]);
    expectErrorBody(reply);
  });

  const pairs = Object.entries(declared).flatMap(([status, names]) => names.map((name) => [status, name] as const));
  it.each(pairs)('Prefer: code=%s, example=%s returns that example', async (status, name) => {
    const reply = await send(target, op, { body: valid, headers: { prefer: `code=${status}, example=${name}` } });
    expect(reply.status).toBe(Number(status));
    expect(reply.body).toEqual(op.responses[status][name]);
  });
}

describe.each(importOperations)('%s', (operationId) => {
  const op = operation(operationId);

  it.each(messageExamples)('accepts the %s example: 200 with the full envelope', async (name) => {
    expect(op.requestExamples, `request example "${name}"`).toHaveProperty(name);
    const reply = await send(target, op, { body: target.adapt(operationId, op.requestExamples[name]) });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    for (const [field, type] of Object.entries(envelopeFields)) {
      expect(jsonType(reply.body, field), `envelope field ${field}`).toBe(type);
    }
    expectImported(reply, op.responses['200'].imported);
  });

  it('answers each import with a fresh, increasing msg_id', async () => {
    const ids: bigint[] = [];
    for (let i = 0; i < 3; i++) {
      const reply = await send(target, op, { body: target.adapt(operationId, op.requestExamples.txt) });
      expect(reply.status).toBe(200);
      ids.push(BigInt(reply.body.data.msg_id));
    }
    expect(new Set(ids).size).toBe(3);
    if (!target.live) expect(ids[1] > ids[0] && ids[2] > ids[1], ids.join(' < ')).toBe(true);
  });

  rejects(operationId, invalidImportBodies);

  it.each([...authCases, ...mediaTypeCases])('answers $name with $status', async (row) => {
    const reply = await send(target, op, { body: target.adapt(operationId, op.requestExamples.txt), headers: row.headers });
    expect(reply.status, JSON.stringify(reply.body)).toBe(row.status);
    expectErrorBody(reply);
    if (!target.live) expect(Object.values(op.responses[String(row.status)])).toContainEqual(reply.body);
  });

  it.each(unparsableBodies)('answers $name with $status', async (row) => {
    const reply = await send(target, op, { raw: row.raw, headers: row.headers });
    expect(reply.status, JSON.stringify(reply.body)).toBe(row.status);
    // Live, only the status: a validating proxy answers such a body itself, in Prism's own shape.
    if (!target.live) expect(reply.body).toEqual(op.responses['400'].jsonParse);
  });

  if (!target.live) answersPreferredErrors(operationId, declaredErrors);
});

describe.each(acceptedRequests)('as Easemob\'s SDKs and docs send it: $name', (row) => {
  const op = operation(row.operation);
  it(`${row.operation} answers 200`, async () => {
    const reply = await send(target, op, { body: target.adapt(row.operation, row.body), headers: row.headers });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    if (row.operation === 'getAppToken') expect(jsonType(reply.body, 'access_token')).toBe('string');
    else expectImported(reply, op.responses['200'].imported);
  });
});

describe('getAppToken', () => {
  const op = operation('getAppToken');

  it(`needs no token and accepts the ${tokenExample} example`, async () => {
    expect(op.secured).toBe(false);
    const reply = await send(target, op, { body: target.adapt('getAppToken', op.requestExamples[tokenExample]) });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    for (const [field, type] of Object.entries(tokenResponseFields)) {
      expect(jsonType(reply.body, field), `token response field ${field}`).toBe(type);
    }
    if (!target.live) expect(reply.body).toEqual(op.responses['200'].token);
  });

  rejects('getAppToken', invalidTokenBodies);

  if (!target.live) answersPreferredErrors('getAppToken', declaredTokenErrors);
});
