// Line-based unified diff (the `diff -u` format) of two texts, deterministic, for previews such as `certify --dry-run`.

/** Above this many cells the middle (after common prefix/suffix) is shown as one replaced block (still a valid diff). */
const MAX_TABLE_CELLS = 4_000_000;

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The edit script between two line arrays: common prefix and suffix, then an LCS table over the middle. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = a.slice(0, start).map((line) => ({ kind: ' ', line }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  if (n * m > MAX_TABLE_CELLS) {
    ops.push(...midA.map((line): Op => ({ kind: '-', line })), ...midB.map((line): Op => ({ kind: '+', line })));
  } else {
    // lcs[i * (m + 1) + j]: length of the LCS of midA[i..] and midB[j..].
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * (m + 1) + j] = midA[i] === midB[j] ? (lcs[(i + 1) * (m + 1) + j + 1] as number) + 1 : Math.max(lcs[(i + 1) * (m + 1) + j] as number, lcs[i * (m + 1) + j + 1] as number);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        ops.push({ kind: ' ', line: midA[i] as string });
        i++;
        j++;
      } else if (j < m && (i === n || (lcs[i * (m + 1) + j + 1] as number) >= (lcs[(i + 1) * (m + 1) + j] as number))) {
        ops.push({ kind: '+', line: midB[j] as string });
        j++;
      } else {
        ops.push({ kind: '-', line: midA[i] as string });
        i++;
      }
    }
    // `diff` lists removals before additions within a change; reorder each run of changes that way.
    for (let k = start; k < ops.length; ) {
      if (ops[k]?.kind === ' ') {
        k++;
        continue;
      }
      let end = k;
      while (end < ops.length && ops[end]?.kind !== ' ') end++;
      const run = ops.slice(k, end);
      ops.splice(k, run.length, ...run.filter((o) => o.kind === '-'), ...run.filter((o) => o.kind === '+'));
      k = end;
    }
  }
  ops.push(...a.slice(endA).map((line): Op => ({ kind: ' ', line })));
  return ops;
}

function range(start: number, count: number): string {
  // diff -u: an empty range names the line before it.
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

/**
 * The unified diff turning `before` into `after`, line by line, with `context` unchanged lines around each change
 * (default 3) and `--- fromLabel` / `+++ toLabel` headers; `[]` when the texts are equal. Lines carry no newline.
 */
export function unifiedDiff(before: string, after: string, labels: { from: string; to: string }, context = 3): string[] {
  const ops = editScript(splitLines(before), splitLines(after));
  const changed = ops.map((o, i) => (o.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return [];
  const out = [`--- ${labels.from}`, `+++ ${labels.to}`];
  // Line numbers before each op, in the old and the new text.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 1;
  let n = 1;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (op.kind !== '+') o++;
    if (op.kind !== '-') n++;
  }
  let k = 0;
  while (k < changed.length) {
    const first = changed[k] as number;
    let last = first;
    while (k + 1 < changed.length && (changed[k + 1] as number) - last <= 2 * context + 1) last = changed[++k] as number;
    k++;
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length - 1, last + context);
    const hunk = ops.slice(from, to + 1);
    const oldCount = hunk.filter((h) => h.kind !== '+').length;
    const newCount = hunk.filter((h) => h.kind !== '-').length;
    out.push(`@@ -${range(oldAt[from] as number, oldCount)} +${range(newAt[from] as number, newCount)} @@`);
    for (const h of hunk) out.push(`${h.kind}${h.line}`);
  }
  return out;
}
