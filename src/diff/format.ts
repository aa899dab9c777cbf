// The terminal view of a record diff: one verdict line ("rules changed, data unchanged"), then the changes by category.
import { clip } from '../summary/format.js';
import type { RecordDiff } from './classify.js';

function short(v: string | undefined): string {
  if (v === undefined) return '(none)';
  return /^[0-9a-f]{64}$/.test(v) ? v.slice(0, 12) : clip(v, 36);
}

/** The verdict line: each applicable category as "changed" or "unchanged", in the fixed order. */
export function diffVerdict(d: RecordDiff): string {
  return d.applicable.map((c) => `${c} ${d.changed.includes(c) ? 'changed' : 'unchanged'}`).join(', ');
}

export function formatDiffText(d: RecordDiff, options: { maxPerCategory?: number } = {}): string[] {
  const max = options.maxPerCategory ?? 8;
  const out = [diffVerdict(d)];
  if (d.changed.length === 0) out.push('identical: same artifacts, same facts');
  else if (d.identicalInSubstance) out.push('identical in substance: only metadata differs');
  for (const c of d.changed) {
    const list = d.categories[c];
    out.push(`${c}:`);
    for (const ch of list.slice(0, max)) out.push(`  ${clip(ch.field, 44)}: ${short(ch.a)} -> ${short(ch.b)}`);
    if (list.length > max) out.push(`  … ${list.length - max} more (see --json)`);
  }
  return out;
}
