// The contract, read from the spec bundle. tsup inlines the JSON into dist/cli.js, so the CLI validates against
// exactly the document it was built and tested with.
import bundle from '@easemob-import/spec/openapi.json' with { type: 'json' };

export type ChatType = 'single' | 'group';

export const OPERATIONS = { single: 'importUserMessage', group: 'importGroupMessage' } as const;

interface RateLimit { limit: number; interval: string }
const INTERVAL_S: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400 };

type Operation = { operationId?: string; 'x-rate-limit'?: RateLimit };
const spec = bundle as unknown as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

function operation(id: string): Operation {
  for (const item of Object.values(spec.paths)) {
    for (const op of Object.values(item)) if (op && typeof op === 'object' && op.operationId === id) return op;
  }
  throw new Error(`the spec bundle has no operation ${id}`);
}

/** Calls per second the spec allows for the import endpoint of a chat type (`x-rate-limit`). */
export function specRate(chatType: ChatType): number {
  const limit = operation(OPERATIONS[chatType])['x-rate-limit'];
  if (!limit || !INTERVAL_S[limit.interval]) throw new Error(`no usable x-rate-limit on ${OPERATIONS[chatType]}`);
  return limit.limit / INTERVAL_S[limit.interval];
}

/** A deep copy of the component schemas, for the validator to adapt. */
export function componentSchemas(): Record<string, unknown> {
  return structuredClone(spec.components.schemas);
}
