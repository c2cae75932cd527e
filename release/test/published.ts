/** The packages this repository publishes: folder, and the attw profile their module formats call for. */
export const published = [
  { name: '@easemob-import/spec', dir: 'spec', attwProfile: 'esm-only' },
  { name: '@easemob-import/client', dir: 'packages/client', attwProfile: 'strict' }, // ESM and CJS, every resolution mode
  { name: '@easemob-import/mock', dir: 'packages/mock', attwProfile: 'esm-only' },
  { name: '@easemob-import/migrate', dir: 'apps/migrate', attwProfile: 'esm-only' },
];
