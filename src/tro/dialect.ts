// Labels a TRO document with its dialect (pe-0.1, pe-0.1-hash, trov-0.1, trov-2023-05) from the IRIs it really uses.
import type { JsonValue } from '../json/value.js';
import { declaredTerms } from './jsonld-view.js';
import type { Dialect, DialectId, FingerprintAlgorithm, HashSpelling, ReadFinding } from './model.js';
import { PE_NS, POP_NAMESPACES, TROV_2023_05_NS, type TroScan, scanTro, shortName } from './scan.js';

/**
 * Fingerprint algorithm per dialect.
 * - pe-0.1 / pe-0.1-hash: policyengine.py, populace and policyengine-us-data (post-#746) join the sorted hashes
 *   with "\n" (policyengine-interop.md §3.1, pe-data.md §2.4).
 * - trov-0.1: the TROv 0.1 spec and tro-utils concatenate with no separator (trace-trov.md §3).
 * - trov-2023-05: the pre-release TROs were produced by tro-utils before the namespace switch; its
 *   `CompositionFingerprint.compute` has been sha256("".join(sorted(values))) unchanged in substance since
 *   v0.1.0 (trace-trov.md §3), so pre-release TROs use the same no-separator algorithm.
 */
const FINGERPRINT: Readonly<Record<DialectId, FingerprintAlgorithm>> = {
  'pe-0.1': 'sha256-newline',
  'pe-0.1-hash': 'sha256-newline',
  'trov-0.1': 'sha256-concat',
  'trov-2023-05': 'sha256-concat',
};

/** The two spelling families of the 0.1 namespace: pe (`trov:sha256`, `trov:hasLocation`) and trov (`trov:hash`, `trov:path`). */
type Family = 'pe' | 'trov';

const FAMILY_OF_HASH: Readonly<Record<HashSpelling, Family>> = { 'trov:sha256': 'pe', 'trov:hash': 'trov' };

export interface DialectAnalysis {
  readonly dialect: Dialect;
  /** Inconsistencies (e.g. some artifacts spelled `trov:sha256`, others `trov:hash`), as reader warnings. */
  readonly findings: readonly ReadFinding[];
}

/**
 * Labels a document. Throws InputError TRO_UNKNOWN_DIALECT when it has no TRO node in a namespace we read,
 * and JSONLD_INVALID when its context is remote (never fetched).
 */
export function detectDialect(doc: JsonValue, options: { label?: string } = {}): Dialect {
  return analyseDialect(scanTro(doc, options.label ?? '<input>')).dialect;
}

/**
 * The labelling rule:
 * 1. the namespace of the TRO node's type decides 2023/05 vs 0.1 (anything else was refused by the scan);
 * 2. within 0.1 the spelling family is the FIRST form seen, in this order of evidence: the hash spelling of
 *    the first artifact (composition order) that has one, then the fingerprint's, then the first location's
 *    (`trov:hasLocation`/`trov:hasArtifact` vs `trov:path`/`trov:artifact`), then the performance and
 *    system class names (`Transparent*` vs `Trusted*`), then `trov:vocabularyVersion`. Never a majority
 *    vote: a mixed document is labelled by its first form and every disagreeing spelling becomes a warning;
 * 3. pe family → pe-0.1; trov family → pe-0.1-hash when the pe: namespace is declared and the document sets no
 *    @base (us-data), else trov-0.1.
 */
export function analyseDialect(scan: TroScan): DialectAnalysis {
  const evidence: string[] = [];
  const findings: ReadFinding[] = [];
  const prefixes = declaredTerms(scan.ctx).filter(([, iri]) => iri === scan.namespace).map(([t]) => t);
  evidence.push(`trov namespace ${scan.namespace}${prefixes.length > 0 ? ` (prefix ${prefixes.join(', ')})` : ''}`);
  evidence.push(`@type ${scan.troType.written} on ${scan.tro.pointer || '/'}`);
  const counts = spellingCounts(scan);
  for (const line of counts.lines) evidence.push(line);
  const peTerms = declaredTerms(scan.ctx).filter(([, iri]) => iri === PE_NS).map(([t]) => t);
  if (peTerms.length > 0) evidence.push(`pe namespace ${PE_NS} declared (prefix ${peTerms.join(', ')})`);
  for (const [term, iri] of declaredTerms(scan.ctx)) if (POP_NAMESPACES.includes(iri)) evidence.push(`pop namespace ${iri} declared (prefix ${term})`);
  if (scan.vocabularyVersion !== undefined) evidence.push(`trov:vocabularyVersion "${scan.vocabularyVersion}"`);

  let id: DialectId;
  if (scan.namespace === TROV_2023_05_NS) {
    id = 'trov-2023-05';
    evidence.push('labelled by the TRO node\'s namespace (the retired 2023/05 pre-release)');
    for (const a of scan.artifacts) {
      if (a.spellings.includes('trov:hash')) findings.push(mixed(`artifact ${a.id ?? a.pointer} uses the 0.1 spelling trov:hash in a pre-release (2023/05) document`, a.pointer));
    }
    for (const l of scan.arrangements.flatMap((a) => a.locations)) {
      if (l.artifactKey === 'artifact' || l.locationKey === 'path') findings.push(mixed(`location ${l.id ?? l.pointer} uses the 0.1 spelling trov:artifact/trov:path in a pre-release (2023/05) document`, l.pointer));
    }
  } else {
    const first = firstFamily(scan);
    evidence.push(`labelled by ${first.reason}`);
    // policyengine-us-data never sets @base; a TROv-spelled document that does was written to the 0.1 spec
    // (trace-trov.md §9 fact 3; `pe-trace convert` output), so its pe: terms are extensions, not the pe dialect.
    const ownBase = typeof scan.documentBase === 'string';
    if (first.family === 'trov' && peTerms.length > 0 && ownBase) evidence.push(`@base ${String(scan.documentBase)} declared: the pe namespace is an extension of a TROv 0.1 document, not policyengine-us-data's form`);
    id = first.family === 'pe' ? 'pe-0.1' : peTerms.length > 0 && !ownBase ? 'pe-0.1-hash' : 'trov-0.1';
    findings.push(...inconsistencies(scan, first.family));
  }
  for (const f of findings) evidence.push(`inconsistent: ${f.message}`);
  return {
    dialect: { id, trovNamespace: scan.namespace, fingerprintAlgorithm: FINGERPRINT[id], evidence },
    findings,
  };
}

function mixed(message: string, pointer: string): ReadFinding {
  return { severity: 'warning', message, pointer };
}

/** Evidence lines counting each spelling actually used (e.g. `trov:sha256 on 4 artifacts`). */
function spellingCounts(scan: TroScan): { lines: string[] } {
  const lines: string[] = [];
  const count = (n: number, what: string, plural = `${what}s`): string => `${n} ${n === 1 ? what : plural}`;
  const sha = scan.artifacts.filter((a) => a.spellings.includes('trov:sha256')).length;
  const obj = scan.artifacts.filter((a) => a.spellings.includes('trov:hash')).length;
  const none = scan.artifacts.filter((a) => a.spellings.length === 0).length;
  if (sha > 0) lines.push(`trov:sha256 on ${count(sha, 'artifact')}`);
  if (obj > 0) lines.push(`trov:hash objects on ${count(obj, 'artifact')}`);
  if (none > 0) lines.push(`no hash on ${count(none, 'artifact')}`);
  const multi = scan.artifacts.filter((a) => a.hashes.length > 1).length;
  if (multi > 0) lines.push(`several hashes on ${count(multi, 'artifact')}`);
  if (scan.fingerprint !== undefined && scan.fingerprint.spellings.length > 0) lines.push(`${scan.fingerprint.spellings.join(' + ')} on the fingerprint`);
  const locations = scan.arrangements.flatMap((a) => a.locations);
  const tally = new Map<string, number>();
  for (const l of locations) {
    for (const key of [l.artifactKey, l.locationKey, l.viaLocus ? 'hasLocus' : undefined]) if (key !== undefined) tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  for (const [key, n] of tally) lines.push(`trov:${key} on ${count(n, 'location')}`);
  const classes = new Set([...scan.performances.flatMap((p) => p.typeIris), ...scan.systemTypeIris].map(shortName).filter((n) => n.startsWith('trov:')));
  if (classes.size > 0) lines.push(`classes ${[...classes].join(', ')}`);
  const bindings = scan.performances.flatMap((p) => [...p.accessed, ...p.contributed]).filter((l) => l.viaBinding).length;
  if (bindings > 0) lines.push(`trov:ArrangementBinding on ${count(bindings, 'performance link')}`);
  return { lines };
}

function firstFamily(scan: TroScan): { family: Family; reason: string } {
  for (const a of scan.artifacts) {
    const s = a.spellings[0];
    if (s !== undefined) return { family: FAMILY_OF_HASH[s], reason: `the first hashed artifact's spelling (${s} at ${a.pointer})` };
  }
  const fp = scan.fingerprint?.spellings[0];
  if (fp !== undefined) return { family: FAMILY_OF_HASH[fp], reason: `the fingerprint's spelling (${fp})` };
  for (const arr of scan.arrangements) {
    for (const l of arr.locations) {
      const key = l.locationKey ?? l.artifactKey;
      if (key !== undefined) return { family: key === 'hasLocation' || key === 'hasArtifact' ? 'pe' : 'trov', reason: `the first location's spelling (trov:${key} at ${l.pointer})` };
    }
  }
  for (const iri of [...scan.performances.flatMap((p) => p.typeIris), ...scan.systemTypeIris]) {
    const name = shortName(iri);
    if (/^trov:TransparentResearch(System|Performance)$/.test(name)) return { family: 'pe', reason: `the class name ${name}` };
    if (/^trov:TrustedResearch(System|Performance)$/.test(name)) return { family: 'trov', reason: `the class name ${name}` };
  }
  if (scan.vocabularyVersion !== undefined) return { family: 'trov', reason: 'trov:vocabularyVersion (a TROv 0.1 term)' };
  return { family: 'trov', reason: 'default: no dialect-specific spelling seen, so the 0.1 namespace\'s own spelling (trov-0.1) is assumed' };
}

/** Every spelling that disagrees with the chosen family, as a warning with its pointer. */
function inconsistencies(scan: TroScan, family: Family): ReadFinding[] {
  const out: ReadFinding[] = [];
  const wanted: HashSpelling = family === 'pe' ? 'trov:sha256' : 'trov:hash';
  for (const a of scan.artifacts) {
    const other = a.spellings.filter((s) => s !== wanted);
    if (other.length > 0) out.push(mixed(`artifact ${a.id ?? a.pointer} uses ${other.join(', ')} where the document's first form is ${wanted}`, a.pointer));
  }
  const fpOther = scan.fingerprint?.spellings.filter((s) => s !== wanted) ?? [];
  if (scan.fingerprint !== undefined && fpOther.length > 0) out.push(mixed(`the fingerprint uses ${fpOther.join(', ')} where the document's first form is ${wanted}`, scan.fingerprint.pointer));
  const locKey = family === 'pe' ? 'hasLocation' : 'path';
  const artKey = family === 'pe' ? 'hasArtifact' : 'artifact';
  for (const arr of scan.arrangements) {
    for (const l of arr.locations) {
      const bad = [l.locationKey !== undefined && l.locationKey !== locKey ? `trov:${l.locationKey}` : '', l.artifactKey !== undefined && l.artifactKey !== artKey ? `trov:${l.artifactKey}` : ''].filter(Boolean);
      if (bad.length > 0) out.push(mixed(`location ${l.id ?? l.pointer} uses ${bad.join(' and ')} where the document's first form is trov:${artKey}/trov:${locKey}`, l.pointer));
      if (l.viaLocus) out.push(mixed(`location ${l.id ?? l.pointer} is a pre-release trov:hasLocus entry in a 0.1 document`, l.pointer));
    }
  }
  return out;
}

