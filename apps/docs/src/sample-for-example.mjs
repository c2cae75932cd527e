// Which part of a code sample the page shows for the example chosen in the request panel's picker. A sample is
// blocks separated by blank lines; a block whose first line is a comment ending in "(exampleName)" belongs to that
// example, every other block (imports, client set-up) is shown with all of them. Also inlined into the pages, so it
// must stay self-contained.
export function sampleForExample(source, exampleKey) {
  const blocks = source.split('\n\n');
  const owner = (block) => block.match(/^(?:#|\/\/) .*\(([^()\s]+)\)\n/)?.[1];
  if (!exampleKey || !blocks.some((b) => owner(b) === exampleKey)) return undefined;
  return blocks.filter((b) => owner(b) === undefined || owner(b) === exampleKey).join('\n\n');
}
