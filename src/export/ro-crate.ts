// Builds an RO-Crate 1.2 of a record: the TRO, its local payloads, the signature beside it, citations, and ro-crate-metadata.json.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { CITATION_MEDIA, type CitationOptions, citationFacts, renderCitation } from '../cite/index.js';
import type { DirectoryEntry } from '../emit/atomic-dir.js';
import { InputError } from '../errors.js';
import { sha256Hex } from '../hash/digest.js';
import { readDocumentFile } from '../io/read-file.js';
import type { LoadedRecord } from '../summary/record.js';

export const RO_CRATE_CONTEXT = 'https://w3id.org/ro/crate/1.2/context';
export const RO_CRATE_SPEC = 'https://w3id.org/ro/crate/1.2';
export const RO_CRATE_METADATA_FILE = 'ro-crate-metadata.json';
/** The signature file helper `sign` writes beside a TRO: `<TRO file name>.sigstore.json`. */
export const SIGNATURE_SUFFIX = '.sigstore.json';
const SIGSTORE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle+json';

/** One data entity of the crate: a local file (with its bytes) or a web resource (absolute URL, not copied). */
export interface CrateEntity {
  readonly id: string;
  readonly sha256: string;
  readonly local: boolean;
}

export interface RoCrate {
  /** Every file of the crate folder, ro-crate-metadata.json included. */
  readonly files: readonly DirectoryEntry[];
  readonly entities: readonly CrateEntity[];
  readonly warnings: readonly string[];
}

type Node = Record<string, unknown>;

/**
 * The crate of a loaded record (a run record folder or a TRO file). Payloads are copied only when the record names
 * them by a plain file name in its own folder and their bytes match the TRO's sha256 claim; a mismatch refuses the
 * export (exit 5), since a crate must not carry bytes its TRO does not vouch for. https artifacts are listed as web
 * entities with their claimed sha256; other locations are left out with a warning. Deterministic: the same record
 * and options give the same bytes (dates are the record's own).
 */
export async function buildRoCrate(loaded: LoadedRecord, options: CitationOptions = {}): Promise<RoCrate> {
  const s = loaded.summary;
  if (s.source === 'bundle-manifest') throw new InputError('RECORD_UNRECOGNISED', 'export reads a TRO or a run record folder, not a bundle manifest', { location: { file: loaded.label } });
  const at = { location: { file: loaded.label } };
  const facts = citationFacts(s, { ...options, label: loaded.label });
  const warnings: string[] = [];
  const files: DirectoryEntry[] = [];
  const entities: CrateEntity[] = [];
  const nodes: Node[] = [];
  const reserved = new Set([RO_CRATE_METADATA_FILE, CITATION_MEDIA.cff.fileName, CITATION_MEDIA.bibtex.fileName]);
  /** `ours`: a file the crate writes itself (the citations); a record file may not take one of those names. */
  const addFile = (name: string, bytes: Uint8Array, node: Node, ours = false): void => {
    if (reserved.has(name) && !ours) throw new InputError('RECORD_UNRECOGNISED', `a record file is named ${name}, which the crate itself needs`, at);
    const sha = sha256Hex(bytes);
    files.push({ name, bytes });
    entities.push({ id: name, sha256: sha, local: true });
    nodes.push({ '@id': name, '@type': 'File', ...node, contentSize: String(bytes.length), sha256: sha });
  };

  addFile(loaded.mainFile, loaded.bytes, {
    name: s.name ?? loaded.mainFile,
    encodingFormat: 'application/ld+json',
    description: `TRACE Transparent Research Object (${s.kind}, dialect ${s.dialect ?? 'unknown'}), composition fingerprint ${facts.fingerprintAlgorithm}:${facts.fingerprint}.`,
  });
  for (const a of s.artifacts) {
    const loc = a.locations[0];
    if (loc === undefined || a.hash === undefined) {
      warnings.push(`artifact ${a.id}: no location or hash, not in the crate`);
      continue;
    }
    if (/^https:\/\//.test(loc)) {
      if (!entities.some((e) => e.id === loc)) {
        entities.push({ id: loc, sha256: a.hash.value, local: false });
        nodes.push({ '@id': loc, '@type': 'File', name: a.name ?? a.id, ...(a.mimeType === undefined ? {} : { encodingFormat: a.mimeType }), sha256: a.hash.value });
      }
      continue;
    }
    if (!isPlainFileName(loc) || loc === loaded.mainFile) {
      warnings.push(`artifact ${a.id}: location ${loc} is not a file in the record's folder, not in the crate`);
      continue;
    }
    const bytes = await readLocal(loaded.baseDir, loc);
    if (bytes === undefined) {
      warnings.push(`artifact ${a.id}: ${loc} is not in the record's folder, not in the crate`);
      continue;
    }
    if (a.hash.algorithm !== 'sha256' || sha256Hex(bytes) !== a.hash.value) {
      throw new InputError('EXPORT_MISMATCH', `${loc} does not match the TRO's ${a.hash.algorithm} claim for artifact ${a.id}; run verify (a crate only carries bytes its TRO vouches for)`, at);
    }
    if (files.some((f) => f.name === loc)) continue;
    addFile(loc, bytes, { name: a.name ?? a.id, ...(a.mimeType === undefined ? {} : { encodingFormat: a.mimeType }) });
  }
  const signatureName = `${loaded.mainFile}${SIGNATURE_SUFFIX}`;
  const signature = await readLocal(loaded.baseDir, signatureName);
  if (signature !== undefined) {
    addFile(signatureName, signature, { name: `Signature of ${loaded.mainFile}`, encodingFormat: SIGSTORE_MEDIA_TYPE, about: { '@id': loaded.mainFile } });
  }
  const cff = new TextEncoder().encode(renderCitation(facts, 'cff'));
  addFile(CITATION_MEDIA.cff.fileName, cff, { name: 'Citation (Citation File Format 1.2.0)', encodingFormat: CITATION_MEDIA.cff.mediaType, about: { '@id': './' } }, true);
  const bib = new TextEncoder().encode(renderCitation(facts, 'bibtex'));
  addFile(CITATION_MEDIA.bibtex.fileName, bib, { name: 'Citation (BibTeX)', encodingFormat: CITATION_MEDIA.bibtex.mediaType, about: { '@id': './' } }, true);

  const org = facts.institutionUrl ?? `#${encodeURIComponent(facts.institution)}`;
  const date = facts.date;
  if (date === undefined) warnings.push('the record has no creation date, so the crate has no datePublished');
  const root: Node = {
    '@id': './',
    '@type': 'Dataset',
    name: facts.title,
    description: facts.description,
    ...(date === undefined ? {} : { datePublished: date }),
    identifier: facts.doi === undefined ? `${facts.fingerprintAlgorithm}:${facts.fingerprint}` : `https://doi.org/${facts.doi}`,
    ...(facts.url === undefined ? {} : { url: facts.url }),
    creator: { '@id': org },
    publisher: { '@id': org },
    creditText: renderCitation(facts, 'text').trim(),
    ...(facts.doi === undefined ? {} : { citation: { '@id': `https://doi.org/${facts.doi}` } }),
    mainEntity: { '@id': loaded.mainFile },
    hasPart: entities.map((e) => ({ '@id': e.id })),
  };
  const graph: Node[] = [
    { '@id': RO_CRATE_METADATA_FILE, '@type': 'CreativeWork', conformsTo: { '@id': RO_CRATE_SPEC }, about: { '@id': './' } },
    root,
    ...nodes,
    { '@id': org, '@type': 'Organization', name: facts.institution, ...(facts.institutionUrl === undefined ? {} : { url: facts.institutionUrl }) },
  ];
  const metadata = new TextEncoder().encode(`${JSON.stringify({ '@context': RO_CRATE_CONTEXT, '@graph': graph }, null, 2)}\n`);
  return { files: [{ name: RO_CRATE_METADATA_FILE, bytes: metadata }, ...files], entities, warnings };
}

function isPlainFileName(loc: string): boolean {
  return loc !== '' && loc !== '.' && loc !== '..' && !/[/\\:#?\0]/.test(loc);
}

/** A regular file in the record's folder (symlinks are not followed: they could point anywhere). */
async function readLocal(baseDir: string, name: string): Promise<Uint8Array | undefined> {
  try {
    if (!(await lstat(join(baseDir, name))).isFile()) return undefined;
  } catch {
    return undefined;
  }
  return readDocumentFile(join(baseDir, name), { label: name });
}
