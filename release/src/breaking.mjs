// Breaking-change gate: the current bundle against the last released one.
import { apiDiff } from 'api-smart-diff';
import readChangesets from '@changesets/read';

/** Packages whose public surface is the contract; a break in the spec breaks them all. */
export const contractPackages = ['@easemob-import/spec', '@easemob-import/client'];

/** Lists the changes from `before` to `after` that can break an existing caller. */
export function breakingChanges(before, after) {
  const diffs = apiDiff(structuredClone(before), structuredClone(after)); // apiDiff resolves refs in place
  return diffs
    .filter((d) => d.type === 'breaking' || removesRequestField(d))
    .map((d) => d.description ?? `${d.action} ${d.path.join('.')}`);
}

// Request schemas in this contract are closed (additionalProperties: false), so a field removed from
// a request makes the server reject callers that still send it; the library rates that as harmless.
function removesRequestField(d) {
  return d.action === 'remove' && d.path.includes('requestBody') && d.path.at(-2) === 'properties';
}

/** True when a pending changeset releases a contract package as a major version. */
export async function majorChangesetPending(cwd) {
  const changesets = await readChangesets(cwd);
  return changesets.some((c) => c.releases.some((r) => r.type === 'major' && contractPackages.includes(r.name)));
}

/** The gate: breaking changes are allowed only with a pending major changeset. Returns the blocking changes. */
export async function gate({ released, current, cwd }) {
  const breaks = breakingChanges(released, current);
  if (breaks.length === 0 || (await majorChangesetPending(cwd))) return [];
  return breaks;
}
