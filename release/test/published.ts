/** The packages this repository publishes, with their folders. */
export const published = [
  { name: '@easemob-import/spec', dir: 'spec' },
  { name: '@easemob-import/client', dir: 'packages/client' },
  { name: '@easemob-import/mock', dir: 'packages/mock' },
  { name: '@easemob-import/migrate', dir: 'apps/migrate' },
];
