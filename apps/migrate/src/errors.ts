/** A usage or configuration problem: the CLI prints its message (one sentence, no stack) and exits with 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
