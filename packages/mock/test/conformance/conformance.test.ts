// Runs the table in cases.ts against the mock, or against any server when
// EASEMOB_CONFORMANCE_URL is set (see README). Against a server that is not Prism there is
// no sl-violations header, and Prefer headers mean nothing, so those checks are mock-only.
import { describe, expect, inject, it } from 'vitest';
import { operation } from './bundle.js';
import {
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

function rejects(operationId: string, rows: BodyCase[]) {
  const op = operation(operationId);
  it.each(rows)('rejects $name with $status', async (row) => {
    const example = target.adapt(operationId, op.requestExamples[row.example]);
    const body = row.replace ?? changed(example, row.set, row.unset);
    const reply = await send(target, op, { body });
    expect(reply.status, JSON.stringify(reply.body)).toBe(row.status);
    expectErrorBody(reply);
    if (!target.live || reply.headers.has('sl-violations')) {
      expect([...reply.named], 'fields named by the validation errors').toEqual(expect.arrayContaining(row.names));
    }
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
    expect(reply.body.data.msg_id).toMatch(/^\d+$/);
    if (!target.live) expect(reply.body).toEqual(op.responses['200'].imported);
  });

  rejects(operationId, invalidImportBodies);

  it.each([...authCases, ...mediaTypeCases])('answers $name with $status', async (row) => {
    const reply = await send(target, op, { body: target.adapt(operationId, op.requestExamples.txt), headers: row.headers });
    expect(reply.status, JSON.stringify(reply.body)).toBe(row.status);
    expectErrorBody(reply);
    if (!target.live) expect(Object.values(op.responses[String(row.status)])).toContainEqual(reply.body);
  });

  it.each(unparsableBodies)('answers $name with $status', async (row) => {
    const reply = await send(target, op, { raw: row.raw });
    // Only the status: Prism answers with its own problem body, not Easemob's `json_parse` envelope.
    expect(reply.status, JSON.stringify(reply.body)).toBe(row.status);
  });

  if (!target.live) answersPreferredErrors(operationId, declaredErrors);
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
