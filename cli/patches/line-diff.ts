/**
 * A unified diff of two texts (`--- a`, `+++ b`, `@@` hunks with 3 lines of context), for
 * `krmkit patches --check`: what a reviewer reads to see how a chart or values change moved
 * the patches. Longest-common-subsequence on lines; texts too large for that are shown as
 * replaced whole, which is still correct, only less precise.
 */
const CONTEXT = 3;
const MAX_CELLS = 25_000_000;

type Line = { kind: ' ' | '-' | '+'; text: string };

export function unifiedDiff(before: string, after: string, beforeName: string, afterName: string): string {
  if (before === after) return '';
  const lines = diffLines(splitLines(before), splitLines(after));
  const out = [`--- ${beforeName}`, `+++ ${afterName}`];
  let index = 0;
  while (index < lines.length) {
    if ((lines[index] as Line).kind === ' ') {
      index++;
      continue;
    }
    const start = Math.max(0, index - CONTEXT);
    let end = index;
    // Extend the hunk while changes are closer than two contexts apart.
    for (let scan = index; scan < lines.length; scan++) {
      if ((lines[scan] as Line).kind !== ' ') end = scan;
      else if (scan - end > 2 * CONTEXT) break;
    }
    const stop = Math.min(lines.length, end + CONTEXT + 1);
    const hunk = lines.slice(start, stop);
    const oldStart = lines.slice(0, start).filter((line) => line.kind !== '+').length + 1;
    const newStart = lines.slice(0, start).filter((line) => line.kind !== '-').length + 1;
    const oldCount = hunk.filter((line) => line.kind !== '+').length;
    const newCount = hunk.filter((line) => line.kind !== '-').length;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const line of hunk) out.push(`${line.kind}${line.text}`);
    index = stop;
  }
  return `${out.join('\n')}\n`;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function diffLines(a: readonly string[], b: readonly string[]): Line[] {
  if (a.length * b.length > MAX_CELLS) {
    return [...a.map((text): Line => ({ kind: '-', text })), ...b.map((text): Line => ({ kind: '+', text }))];
  }
  // lengths[i][j]: LCS length of a[i..] and b[j..], in one flat array.
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] = a[i] === b[j] ? (lengths[(i + 1) * width + j + 1] as number) + 1 : Math.max(lengths[(i + 1) * width + j] as number, lengths[i * width + j + 1] as number);
    }
  }
  const out: Line[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: ' ', text: a[i] as string });
      i++;
      j++;
    } else if ((lengths[(i + 1) * width + j] as number) >= (lengths[i * width + j + 1] as number)) {
      out.push({ kind: '-', text: a[i++] as string });
    } else {
      out.push({ kind: '+', text: b[j++] as string });
    }
  }
  while (i < a.length) out.push({ kind: '-', text: a[i++] as string });
  while (j < b.length) out.push({ kind: '+', text: b[j++] as string });
  return out;
}
