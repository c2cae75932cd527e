// What the mock's global setup provides (@easemob-import/mock/vitest declares the same; restated here because
// pnpm may give this package its own copy of vitest's types).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrl: string;
  }
}
