// MIME types guessed from a name by suffix: one table, with the pe (interop §2.1 step 7) and pop (pe-data §2.3) rules as data.

/** Which producer's rule: policyengine.py's bundle TRO (`pe`) or populace's build TRO (`pop`). */
export type MimeRule = 'pe' | 'pop';

/** Every suffix either rule knows, with the rules that use it. */
const TABLE: ReadonlyArray<readonly [suffix: string, type: string, rules: readonly MimeRule[]]> = [
  ['h5', 'application/x-hdf5', ['pe', 'pop']],
  ['json', 'application/json', ['pe', 'pop']],
  ['jsonld', 'application/ld+json', ['pe', 'pop']],
  ['whl', 'application/zip', ['pe']],
  ['npz', 'application/x-numpy-npz', ['pop']],
  ['parquet', 'application/vnd.apache.parquet', ['pop']],
  ['csv', 'text/csv', ['pop']],
  // Not in populace's table: UK Data Service tables ship as tab-delimited text.
  ['tab', 'text/tab-separated-values', ['pop']],
];

/** Compound suffixes tested (on the whole lowercased name) before the last-dot lookup: only pe knows `.tar.gz`. */
const COMPOUND: ReadonlyArray<readonly [ending: string, type: string, rules: readonly MimeRule[]]> = [['.tar.gz', 'application/gzip', ['pe']]];

const BY_RULE: Readonly<Record<MimeRule, ReadonlyMap<string, string>>> = {
  pe: new Map(TABLE.filter(([, , rules]) => rules.includes('pe')).map(([suffix, type]) => [suffix, type])),
  pop: new Map(TABLE.filter(([, , rules]) => rules.includes('pop')).map(([suffix, type]) => [suffix, type])),
};

/**
 * MIME type of a file name, path or URL under one rule: a known compound ending, else the text after the last `.`
 * (case-insensitive) looked up in the rule's table; anything else has no type. The rule is applied to the whole
 * string as given, so a certified URI `…/x.h5@1.56.16` yields none (its "extension" is `16`): that pe quirk is
 * what makes limited bundle TROs carry no dataset `trov:mimeType`, and we keep it for bytes.
 */
export function mimeTypeFor(rule: MimeRule, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [ending, type, rules] of COMPOUND) if (rules.includes(rule) && lower.endsWith(ending)) return type;
  const dot = lower.lastIndexOf('.');
  if (dot < 0) return undefined;
  return BY_RULE[rule].get(lower.slice(dot + 1));
}

/** policyengine.py's bundle-TRO rule (`.tar.gz`, h5, json, jsonld, whl). */
export function mimeTypeOf(name: string): string | undefined {
  return mimeTypeFor('pe', name);
}
