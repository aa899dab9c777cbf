// Builds the upstream-ready vocabulary package (vocabularies, term map, contexts, shapes, HTML pages) and writes it atomically inside one folder.
import { mkdir, realpath } from 'node:fs/promises';
import { readFileSync, readdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { assetPath } from '../assets.js';
import { PeTraceError } from '../errors.js';
import { sha256Hex } from '../hash/digest.js';
import { compareCodePoints } from '../json/canonical.js';
import { writeFileAtomic } from '../manifest/atomic-write.js';
import { canonicalQuads } from './graph.js';
import { renderVocabularyHtml } from './html.js';
import { writeVocabularyJsonLd } from './jsonld-writer.js';
import { type Vocabulary, loadVocabularies } from './load.js';
import { DCTERMS_NS, OWL_NS, RDF_NS, VOCAB_PREFIXES } from './namespaces.js';
import { writeTurtle } from './turtle-writer.js';

export type VocabFormat = 'turtle' | 'jsonld' | 'html';
export const VOCAB_FORMATS: readonly VocabFormat[] = ['turtle', 'jsonld', 'html'];

export interface ExportFile {
  /** Path inside the package, `/`-separated (`pe.ttl`, `shapes/trov-0.1.shape.ttl`). */
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

export interface VocabExportOptions {
  /** Which serialisations of the vocabularies to include (default: all three). Contexts are always included. */
  readonly formats?: readonly VocabFormat[];
}

const encoder = new TextEncoder();

function file(path: string, bytes: Uint8Array): ExportFile {
  return { path, bytes, sha256: sha256Hex(bytes) };
}

/** A shipped asset folder's files matching `pattern`, sorted by name (an absent folder has none). */
function assetFiles(folder: 'shapes' | 'vocab', pattern: RegExp): string[] {
  let names: string[];
  try {
    names = readdirSync(assetPath(folder, '.'));
  } catch {
    return [];
  }
  return names.filter((n) => pattern.test(n)).sort(compareCodePoints);
}

function readAssetBytes(folder: 'shapes' | 'vocab', name: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(assetPath(folder, name)));
  } catch (e) {
    throw new PeTraceError('ASSET_BROKEN', `shipped asset ${folder}/${name} is missing or unreadable`, { cause: e });
  }
}

/** The ontology header's value of `predicate` (e.g. dcterms:title), if the vocabulary has a header and it says. */
function ontologyValue(vocab: Vocabulary, predicate: string): string | undefined {
  const ontology = vocab.quads.find((q) => q.predicate.value === `${RDF_NS}type` && q.object.value === `${OWL_NS}Ontology`)?.subject.value;
  return vocab.quads.find((q) => q.subject.value === ontology && q.predicate.value === predicate)?.object.value;
}

/**
 * Every file of the package, in path order. Deterministic: vocabularies are re-serialised from their parsed
 * triples (blank nodes relabelled canonically), shapes and contexts are copied byte for byte.
 */
export async function buildVocabExport(options: VocabExportOptions = {}): Promise<ExportFile[]> {
  const formats = new Set(options.formats ?? VOCAB_FORMATS);
  const out: ExportFile[] = [];
  for (const vocab of loadVocabularies()) {
    const quads = await canonicalQuads(vocab.quads);
    const prefixes = { ...VOCAB_PREFIXES, ...vocab.prefixes };
    const sources = vocab.files.map((f) => `vocab/${f}`).join(' + ');
    if (formats.has('turtle')) {
      const licence = ontologyValue(vocab, `${DCTERMS_NS}license`);
      const header = [`${ontologyValue(vocab, `${DCTERMS_NS}title`) ?? vocab.id}.`, `Exported by pe-trace vocab export from ${sources}.${licence === undefined ? '' : ` Licence: ${licence}.`}`];
      out.push(file(`${vocab.id}.ttl`, encoder.encode(writeTurtle(quads, { prefixes, header }))));
    }
    if (formats.has('jsonld')) out.push(file(`${vocab.id}.jsonld`, writeVocabularyJsonLd(quads, prefixes)));
    if (formats.has('html')) out.push(file(`${vocab.id}.html`, encoder.encode(renderVocabularyHtml({ ...vocab, quads }))));
  }
  for (const name of assetFiles('vocab', /^[A-Za-z0-9._-]+\.context\.jsonld$/)) out.push(file(`contexts/${name}`, readAssetBytes('vocab', name)));
  if (formats.has('turtle')) {
    for (const name of assetFiles('shapes', /^[A-Za-z0-9._-]+\.shape\.ttl$/)) out.push(file(`shapes/${name}`, readAssetBytes('shapes', name)));
  }
  return out.sort((a, b) => compareCodePoints(a.path, b.path));
}

/**
 * Writes the files under `outDir` (created if missing), each atomically. A path that would land outside
 * `outDir` (absolute, `..`, or through a symlinked folder) is refused before anything is written.
 */
export async function writeVocabExport(files: readonly ExportFile[], outDir: string, options: { label?: string } = {}): Promise<void> {
  const label = options.label ?? outDir;
  for (const f of files) {
    const parts = f.path.split('/');
    if (isAbsolute(f.path) || parts.some((p) => p === '' || p === '.' || p === '..')) {
      throw new PeTraceError('INTERNAL', `export path ${JSON.stringify(f.path)} is not a plain relative path`);
    }
  }
  try {
    await mkdir(outDir, { recursive: true });
  } catch (e) {
    throw new PeTraceError('INPUT_UNREADABLE', `cannot create the output folder: ${e instanceof Error ? e.message : String(e)}`, { location: { file: label }, cause: e });
  }
  const root = await realpath(outDir);
  for (const f of files) {
    const target = resolve(root, ...f.path.split('/'));
    const dir = resolve(target, '..');
    await mkdir(dir, { recursive: true });
    const realDir = await realpath(dir);
    const rel = relative(root, join(realDir, target.slice(dir.length + 1)));
    if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
      throw new PeTraceError('USAGE', `refusing to write ${f.path}: it resolves outside the output folder`, { location: { file: label } });
    }
    await writeFileAtomic(target, f.bytes, { label: `${label}/${f.path}` });
  }
}
