// Vitest global setup: one mock per test run, its URL handed to tests.
//   vitest.config.ts:  test: { globalSetup: ['@easemob-import/mock/vitest'] }
//   a test:            const url = inject('mockUrl');
import type {} from 'vitest'; // brings the module into scope for the augmentation below
import type { TestProject } from 'vitest/node';
import { startMock } from './index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the Prism mock started for this test run. */
    mockUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mock = await startMock();
  project.provide('mockUrl', mock.url);
  return () => mock.close();
}
