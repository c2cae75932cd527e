export default { test: { include: ['import.test.ts'], globalSetup: ['@easemob-import/mock/vitest'] } };
