// Breaking-change gate: the current bundle against the last released one.
import { apiDiff } from 'api-smart-diff';
import readChangesets from '@changesets/read';
import { typedBreaks } from './typed-breaks.mjs';

/** Packages whose public surface is the contract; a break in the spec breaks them all. */
export const contractPackages = ['@easemob-import/spec', '@easemob-import/client'];

/**
 * Lists the changes from `before` to `after` that can break an existing caller: what fails to type-check for a
 * typed caller (typed-breaks.mjs), then what api-smart-diff finds in constraints types do not show (lengths,
 * patterns, formats, removed operations and request fields).
 */
export async function breakingChanges(before, after) {
  const diffs = apiDiff(structuredClone(before), structuredClone(after)); // apiDiff resolves refs in place
  const constraints = diffs
    .filter((d) => (d.type === 'breaking' && !isProse(d)) || removesRequestField(d))
    .map((d) => d.description || `${d.action} ${d.path.join('.')}`);
  return [...(await typedBreaks(before, after)), ...constraints];
}

// The library rates a changed description of a shared response (components.responses) as breaking; words
// never break a caller.
function isProse(d) {
  return ['description', 'summary'].includes(d.path.at(-1));
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
  const breaks = await breakingChanges(released, current);
  if (breaks.length === 0 || (await majorChangesetPending(cwd))) return [];
  return breaks;
}
