import { describe, expect, expectTypeOf, inject, it } from 'vitest';
import type { TestProject } from 'vitest/node';
import setup from '@easemob-import/mock/vitest';
import { nothingListensOn } from './support/process.js';

const txt = JSON.stringify({ from: 'u1', target: 'u2', type: 'txt', body: { msg: 'hi' } });
const importAt = (url: string) =>
  fetch(`${url}/org/app/messages/users/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
    body: txt,
  });

describe('@easemob-import/mock/vitest', () => {
  it('hands this run\'s mock URL to tests as inject("mockUrl")', async () => {
    const url = inject('mockUrl');
    expectTypeOf(url).toEqualTypeOf<string>();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await importAt(url)).status).toBe(200);
  });

  it('starts a mock, provides its URL, and its teardown stops it', async () => {
    const provided: Record<string, unknown> = {};
    const project = { provide: (key: string, value: unknown) => (provided[key] = value) } as unknown as TestProject;
    const teardown = await setup(project);
    const url = provided.mockUrl as string;
    expect((await importAt(url)).status).toBe(200);
    await teardown();
    expect(await nothingListensOn(Number(new URL(url).port))).toBe(true);
  });
});
