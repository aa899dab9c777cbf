// Loads every vocab/*.ttl (ours and other areas', e.g. pop-inputs.ttl), groups the files into vocabularies and lists the terms they define.
import { readdirSync } from 'node:fs';
import type { Quad } from 'n3';
import { assetPath, readAssetText } from '../assets.js';
import { PeTraceError, isPeTraceError } from '../errors.js';
import { compareCodePoints } from '../json/canonical.js';
import { parseTurtle } from './graph.js';
import { OWL_NS, RDFS_NS, RDF_NS } from './namespaces.js';

const RDF_TYPE = `${RDF_NS}type`;

/** rdf:type values that make a subject a defined term (a class or a property). */
export const TERM_TYPES: readonly string[] = [
  `${RDFS_NS}Class`,
  `${OWL_NS}Class`,
  `${RDF_NS}Property`,
  `${OWL_NS}ObjectProperty`,
  `${OWL_NS}DatatypeProperty`,
  `${OWL_NS}AnnotationProperty`,
];

export interface VocabFile {
  /** The file name under vocab/ (`pe.ttl`). */
  readonly name: string;
  readonly quads: readonly Quad[];
  readonly prefixes: Readonly<Record<string, string>>;
}

/** One vocabulary as exported: its main file plus the part files that extend it. */
export interface Vocabulary {
  /** `pe`, `pop`, `term-map`. */
  readonly id: string;
  /** Files in merge order: the main file, then parts (`pop.ttl`, `pop-inputs.ttl`). */
  readonly files: readonly string[];
  readonly quads: readonly Quad[];
  readonly prefixes: Readonly<Record<string, string>>;
}

/** Vocabularies that are one file each even though their name has a `-`. */
const STANDALONE = new Set(['term-map']);

/** The `.ttl` files shipped under vocab/, sorted by name. */
export function vocabFileNames(): string[] {
  let names: string[];
  try {
    names = readdirSync(assetPath('vocab', '.'));
  } catch (e) {
    throw new PeTraceError('ASSET_BROKEN', 'the shipped vocab/ folder is missing or unreadable', { cause: e });
  }
  return names.filter((n) => n.endsWith('.ttl')).sort(compareCodePoints);
}

const fileCache = new Map<string, VocabFile>();

/** Parses one vocab file (once per process); a parse error in a shipped file is our bug (exit 1). */
export function loadVocabFile(name: string): VocabFile {
  let file = fileCache.get(name);
  if (file === undefined) {
    const text = readAssetText('vocab', name);
    try {
      const parsed = parseTurtle(text, `vocab/${name}`);
      file = { name, quads: parsed.quads, prefixes: parsed.prefixes };
    } catch (e) {
      if (isPeTraceError(e) && e.code === 'RDF_PARSE') throw new PeTraceError('ASSET_BROKEN', e.message, { cause: e });
      throw e;
    }
    fileCache.set(name, file);
  }
  return file;
}

/** The vocabulary a file belongs to: `pop-inputs.ttl` extends `pop`, `term-map.ttl` stands alone. */
export function vocabularyIdOf(fileName: string): string {
  const stem = fileName.replace(/\.ttl$/, '');
  if (STANDALONE.has(stem)) return stem;
  const dash = stem.indexOf('-');
  return dash === -1 ? stem : stem.slice(0, dash);
}

/** Every vocabulary, from every vocab/*.ttl, part files merged into their main vocabulary. Sorted by id. */
export function loadVocabularies(): Vocabulary[] {
  const groups = new Map<string, string[]>();
  for (const name of vocabFileNames()) {
    const id = vocabularyIdOf(name);
    const list = groups.get(id);
    if (list === undefined) groups.set(id, [name]);
    else list.push(name);
  }
  const out: Vocabulary[] = [];
  for (const [id, names] of [...groups].sort(([a], [b]) => compareCodePoints(a, b))) {
    // The main file first, then its parts in name order.
    const files = [...names].sort((a, b) => (a === `${id}.ttl` ? -1 : b === `${id}.ttl` ? 1 : compareCodePoints(a, b)));
    const quads: Quad[] = [];
    const prefixes: Record<string, string> = {};
    for (const f of files) {
      const file = loadVocabFile(f);
      quads.push(...file.quads);
      for (const [p, iri] of Object.entries(file.prefixes)) if (!(p in prefixes)) prefixes[p] = iri;
    }
    out.push({ id, files, quads, prefixes });
  }
  return out;
}

/** The IRIs every vocab/*.ttl defines as a class or property. */
export function definedTerms(): ReadonlySet<string> {
  const out = new Set<string>();
  for (const name of vocabFileNames()) {
    for (const q of loadVocabFile(name).quads) {
      if (q.predicate.value === RDF_TYPE && TERM_TYPES.includes(q.object.value) && q.subject.termType === 'NamedNode') out.add(q.subject.value);
    }
  }
  return out;
}

const EQUIVALENCE = [`${OWL_NS}equivalentProperty`, `${OWL_NS}equivalentClass`];

/**
 * The defined terms plus the IRIs declared equivalent to one of them (the microcosm.institute twins of the pop:
 * terms): every IRI a document or shape may use for a term these vocabularies define.
 */
export function knownTerms(): ReadonlySet<string> {
  const defined = definedTerms();
  const out = new Set(defined);
  for (const name of vocabFileNames()) {
    for (const q of loadVocabFile(name).quads) {
      if (EQUIVALENCE.includes(q.predicate.value) && defined.has(q.subject.value) && q.object.termType === 'NamedNode') out.add(q.object.value);
    }
  }
  return out;
}
