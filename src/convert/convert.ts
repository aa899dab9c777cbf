// Converts a TRO of any dialect pe-trace reads to a spec-conformant TROv 0.1 document: prepare, lift, plan, CONSTRUCT, frame, write, check.
import type { Quad } from '@rdfjs/types';
import { DataFactory, type Quad as N3Quad } from 'n3';
import { readAssetText } from '../assets.js';
import { InputError, PeTraceError } from '../errors.js';
import { sha256Hex } from '../hash/digest.js';
import { compositionFingerprint } from '../hash/fingerprint.js';
import { canonicalJsonBytes } from '../json/canonical.js';
import { parseJson } from '../json/parse.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../json/value.js';
import { liftJsonLd } from '../rdf/lift.js';
import { constructQuads, distinctQuads } from '../rdf/sparql.js';
import { createStore } from '../rdf/store.js';
import { EMPTY_CONTEXT, expandVocab, extendContext, pointerJoin } from '../tro/jsonld-view.js';
import type { DialectId, FingerprintAlgorithm, TroModel } from '../tro/model.js';
import { readTroModel } from '../tro/read.js';
import { checkFingerprint } from '../verify/check-fingerprint.js';
import { verifyTro } from '../verify/verify.js';
import type { FingerprintReport } from '../verify/report.js';
import { PE_NS, POP_NS, MICROCOSM_NS, RDFS_NS, RDF_NS, SCHEMA_NS, TROV_01_NS, TROV_2023_05_NS } from '../vocab/namespaces.js';
import { type BaseSource, chooseBase } from './base.js';
import { frameTrov } from './frame.js';
import { type ConversionPlan, planConversion } from './plan.js';
import { prepareDocument } from './prepare.js';
import { type MappingReport, type StructuralEntry, termChanges } from './report.js';

const { quad, defaultGraph } = DataFactory;

/** The conversion targets. */
export type ConvertTarget = 'trov-0.1';

/** The CONSTRUCT queries of a conversion, in the order they run (files in queries/). */
export const CONVERT_QUERIES = ['construct-convert-terms.rq', 'construct-convert-hashes.rq', 'construct-convert-bindings.rq', 'construct-convert-metadata.rq'] as const;

export interface ConvertOptions {
  readonly to?: ConvertTarget;
  /** How the input is named in messages. */
  readonly label?: string;
  /** The input's bytes as read (for pe:originalDocumentSha256 and the placeholder base); default: its canonical JSON. */
  readonly bytes?: Uint8Array;
  /** The @base of the converted document (an http(s) URL ending in `/`). */
  readonly base?: string;
  /**
   * Convert a TRO whose claimed fingerprint does not match its artifact hashes by its own dialect's rule. The
   * output then carries the CLAIMED value (never a freshly computed one), so it still fails verify and
   * shacl-validate. Default false: such a TRO is refused (TRO_UNVERIFIED, exit 4).
   */
  readonly allowUnverified?: boolean;
  /**
   * The folder the TRO's relative artifact locations resolve against (the TRO file's folder). When given, every
   * artifact that can be checked offline is rehashed first, and a TRO whose artifact bytes do not match their claimed
   * hashes is refused like a fingerprint mismatch (artifacts not at hand, e.g. https ones, are not fetched).
   */
  readonly baseDir?: string;
}

export interface ConvertFinding {
  readonly severity: 'warning' | 'info';
  readonly message: string;
  /** Where in the ORIGINAL document, when it is about one place. */
  readonly pointer?: string;
}

export interface ConvertedTro {
  /** The TROv 0.1 document (written with `canonicalJsonBytes(document, 'trov')`). */
  readonly document: JsonObject;
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly from: DialectId;
  readonly to: ConvertTarget;
  readonly base: string;
  readonly baseSource: BaseSource;
  /** Why the base would not meet LINKABLE-TRO (empty when it would). */
  readonly baseProblems: readonly string[];
  /** The TROv 0.1 composition fingerprint written (hex): recomputed, or the claimed one carried by `allowUnverified`. */
  readonly fingerprint: string;
  /** False when the original's fingerprint did not match and its claimed value was carried over (the output fails verify). */
  readonly fingerprintVerified: boolean;
  readonly original: {
    readonly sha256: string;
    readonly fingerprint?: string;
    readonly fingerprintMethod: FingerprintAlgorithm;
    /** Whether the original fingerprint matched its own dialect's algorithm. */
    readonly fingerprintStatus: 'ok' | 'mismatch' | 'missing';
  };
  readonly report: MappingReport;
  readonly findings: readonly ConvertFinding[];
  /** The converted graph (absolute IRIs). */
  readonly graph: readonly Quad[];
}

const queryTexts = new Map<string, string>();
function queryText(name: string): string {
  let text = queryTexts.get(name);
  if (text === undefined) {
    text = readAssetText('queries', name);
    queryTexts.set(name, text);
  }
  return text;
}

const ZONED = /(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Converts one TRO. Throws InputError for input that is not a TRO pe-trace reads (TRO_UNKNOWN_DIALECT) or has no
 * composition (TRO_MALFORMED), PeTraceError USAGE for an unusable `base`, and INTERNAL when the converted
 * document fails our own check (it must read back as trov-0.1 with a fingerprint that recomputes).
 */
export async function convertTro(doc: JsonValue, options: ConvertOptions = {}): Promise<ConvertedTro> {
  const label = options.label ?? '<input>';
  const to: ConvertTarget = options.to ?? 'trov-0.1';
  const originalBytes = options.bytes ?? canonicalJsonBytes(doc);
  const originalSha256 = sha256Hex(originalBytes);
  const model = readTroModel(doc, { label });
  refuseLoneSurrogates(doc, '', label);
  const originalCheck = await checkFingerprint(model);
  if (options.baseDir !== undefined) await refuseMismatchedArtifacts(model, options.baseDir, label, options.allowUnverified === true);
  const findings: ConvertFinding[] = model.findings.map((f) => ({ severity: f.severity, message: f.message, pointer: f.pointer }));

  const selfUrl = troSelfUrl(doc, model, label);
  const chosen = chooseBase({
    ...(options.base === undefined ? {} : { option: options.base }),
    ...(model.documentBase === undefined ? {} : { documentBase: model.documentBase }),
    ...(selfUrl === undefined ? {} : { selfUrl }),
    originalSha256,
  });
  if (chosen.source === 'placeholder') {
    findings.push({ severity: 'warning', message: `no --base given and the document names no base or self URL: @base is the placeholder ${chosen.base}, which can never be LINKABLE-TRO; pass --base with a host you control` });
  } else if (chosen.problems.length > 0) {
    findings.push({ severity: 'warning', message: `@base ${chosen.base} (from ${describeSource(chosen.source)}) will not meet LINKABLE-TRO: ${chosen.problems.join('; ')}` });
  }

  const prepared = prepareDocument(doc);
  const lifted = await liftJsonLd(prepared.doc, { label, base: chosen.base });
  for (const w of lifted.warnings) findings.push({ severity: 'warning', message: w });
  const quads = lifted.quads.map((q) => quad(q.subject, q.predicate, q.object, defaultGraph()));
  const nodeOrder = new Map<string, number>();
  prepared.nodeOrder.forEach((id, i) => {
    const iri = resolveId(id, chosen.base, prepared.prefixes);
    if (!nodeOrder.has(iri)) nodeOrder.set(iri, i);
  });

  const recomputed = compositionFingerprint(
    model.artifacts.flatMap((a) => a.hashes.map((h) => h.value)),
    'sha256-concat',
  );
  const fingerprintVerified = originalCheck.report.status === 'ok';
  const fingerprint = fingerprintVerified ? recomputed : unverifiedFingerprint(model, originalCheck.report, recomputed, label, options.allowUnverified === true);
  const plan = planConversion(
    {
      quads,
      label,
      dialect: model.dialect.id,
      fingerprintMethod: model.dialect.fingerprintAlgorithm,
      ...(model.fingerprint === undefined ? {} : { originalFingerprint: model.fingerprint.value }),
      originalSha256,
      order: nodeOrder,
    },
    fingerprint,
  );
  const graph = await applyPlan(quads, plan);

  const prefixes = outputPrefixes(prepared.prefixes);
  const framed = frameTrov(graph, { root: plan.tro, base: chosen.base, prefixes, keepPrefixes: STANDARD_PREFIXES, nodeOrder, literalOrder: prepared.literalOrder });
  const bytes = canonicalJsonBytes(framed.document, 'trov');
  await selfCheck(bytes, fingerprint, fingerprintVerified, label);

  for (const p of model.performances) {
    for (const [key, value] of [['trov:startedAtTime', p.startedAtTime], ['trov:endedAtTime', p.endedAtTime]] as const) {
      if (value !== undefined && !ZONED.test(value)) {
        findings.push({ severity: 'warning', message: `${key} "${value}" has no time zone; kept as written (TRACE 0.1 and main expect Z or ±hh:mm; no zone is invented)`, pointer: pointerJoin(p.pointer, key) });
      }
    }
  }
  if (!fingerprintVerified) {
    findings.push({
      severity: 'warning',
      message: `the original fingerprint ${model.fingerprint?.value ?? ''} does not match the document's own ${model.dialect.fingerprintAlgorithm} rule (${originalCheck.report.computed}); converted anyway (--allow-unverified) carrying the claimed value, so the result fails verify and shacl-validate`,
      ...(model.fingerprint === undefined ? {} : { pointer: model.fingerprint.pointer }),
    });
  }
  for (const n of framed.notes) findings.push({ severity: 'warning', message: `${n.subject}: ${n.detail}` });

  const report: MappingReport = { changes: termChanges(doc, label), structural: structuralEntries(plan, prepared, chosen.base, chosen.source, model, fingerprint, fingerprintVerified, framed.notes.length) };
  return {
    document: framed.document,
    bytes,
    sha256: sha256Hex(bytes),
    from: model.dialect.id,
    to,
    base: chosen.base,
    baseSource: chosen.source,
    baseProblems: chosen.problems,
    fingerprint,
    fingerprintVerified,
    original: {
      sha256: originalSha256,
      ...(model.fingerprint === undefined ? {} : { fingerprint: model.fingerprint.value }),
      fingerprintMethod: model.dialect.fingerprintAlgorithm,
      fingerprintStatus: originalCheck.report.status === 'ok' ? 'ok' : originalCheck.report.status === 'missing' ? 'missing' : 'mismatch',
    },
    report,
    findings,
    graph,
  };
}

/** In a `u` regex a paired surrogate is one code point, so this matches only lone (ill-formed) ones. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * RDF strings are Unicode: lifting would replace a lone surrogate (a `\ud800` escape) with U+FFFD and so change
 * the document, e.g. turn a location verify refuses into one it reads. Such a document is refused, located.
 */
function refuseLoneSurrogates(value: JsonValue, pointer: string, label: string): void {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) {
      throw new InputError('JSONLD_INVALID', 'a string is not valid Unicode (a lone surrogate): it cannot be converted to RDF without changing it', {
        location: { file: label, pointer },
      });
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => refuseLoneSurrogates(v, `${pointer}/${i}`, label));
  } else if (isJsonObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const at = `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (LONE_SURROGATE.test(k)) refuseLoneSurrogates(k, at, label);
      refuseLoneSurrogates(v, at, label);
    }
  }
}

/** Runs the CONSTRUCT queries over the lifted graph (minus what the plan sets aside) plus the plan's facts. */
async function applyPlan(quads: readonly N3Quad[], plan: ConversionPlan): Promise<Quad[]> {
  const aside = new Set(plan.setAside.map((q) => `${q.subject.value} ${q.predicate.value} ${q.object.termType}:${q.object.value}`));
  const store = createStore();
  store.addQuads(quads.filter((q) => !aside.has(`${q.subject.value} ${q.predicate.value} ${q.object.termType}:${q.object.value}`)));
  store.addQuads(plan.facts);
  const out: Quad[] = [];
  for (const name of CONVERT_QUERIES) out.push(...(await constructQuads(store, queryText(name), `queries/${name}`)));
  return distinctQuads(out);
}

/**
 * A TRO whose claimed fingerprint does not match (or is missing) is refused unless `allow`; allowed, the claimed
 * value is what gets written. Refused even when allowed: no claimed value to carry, or a claimed value that the
 * TROv 0.1 rule happens to reproduce (the converted copy would pass where the original fails).
 */
function unverifiedFingerprint(model: TroModel, report: FingerprintReport, recomputed: string, label: string, allow: boolean): string {
  const claimed = model.fingerprint;
  const where = { location: { file: label, ...(claimed === undefined ? { pointer: model.troPointer } : { pointer: claimed.pointer }) } };
  if (claimed === undefined) {
    throw new PeTraceError('TRO_UNVERIFIED', 'the TRO has no composition fingerprint: refusing to convert (a converted copy would get a freshly computed one, and pass where the original fails)', where);
  }
  if (!allow) {
    throw new PeTraceError(
      'TRO_UNVERIFIED',
      `the claimed fingerprint ${claimed.value} does not match the artifact hashes by the ${model.dialect.id} rule (${report.computed}): refusing to convert; --allow-unverified converts it carrying the claimed value (the result then fails verify)`,
      where,
    );
  }
  if (claimed.value === recomputed) {
    throw new PeTraceError('TRO_UNVERIFIED', `the claimed fingerprint ${claimed.value} fails the ${model.dialect.id} rule but equals the TROv 0.1 rule's value, so the converted copy would pass: refusing even with --allow-unverified`, where);
  }
  return claimed.value;
}

/**
 * Artifacts at hand whose bytes do not match their claims: refused unless `allow` (the converted copy carries the
 * same claims, so it fails verify exactly as the original does; nothing is recomputed from the bytes).
 */
async function refuseMismatchedArtifacts(model: TroModel, baseDir: string, label: string, allow: boolean): Promise<void> {
  const report = await verifyTro(model, { baseDir, fetchHttps: false });
  const bad = report.artifacts.filter((a) => a.status === 'mismatch');
  if (bad.length === 0 || allow) return;
  const named = bad.map((a) => `${a.id} (${a.location})`).join(', ');
  throw new PeTraceError(
    'TRO_UNVERIFIED',
    `${bad.length} artifact${bad.length === 1 ? '' : 's'} do${bad.length === 1 ? 'es' : ''} not match ${bad.length === 1 ? 'its' : 'their'} claimed hash: ${named}; refusing to convert (--allow-unverified converts it carrying the claims, and the result then fails verify)`,
    { location: { file: label, pointer: model.troPointer } },
  );
}

/**
 * The converted document must read back as trov-0.1 with the fingerprint written; it must recompute when the
 * original's did, and must NOT when the original's did not (conversion never launders). Anything else is our bug.
 */
async function selfCheck(bytes: Uint8Array, fingerprint: string, verified: boolean, label: string): Promise<void> {
  const model = readTroModel(parseJson(bytes, { label: `${label} (converted)` }), { label: `${label} (converted)` });
  if (model.dialect.id !== 'trov-0.1') {
    throw new PeTraceError('INTERNAL', `converting ${label}: the result reads as ${model.dialect.id}, not trov-0.1 (${model.dialect.evidence.join('; ')})`);
  }
  const check = await checkFingerprint(model);
  if (model.fingerprint?.value !== fingerprint || (check.report.status === 'ok') !== verified) {
    throw new PeTraceError('INTERNAL', `converting ${label}: the converted fingerprint is ${check.report.status}, expected ${verified ? 'ok' : 'mismatch'}`);
  }
}

/** Always declared, as in the spec's examples (plus pe, which the conversion's provenance uses). */
const STANDARD_PREFIXES = ['pe', 'rdf', 'rdfs', 'schema', 'trov'];

/** The standard prefixes (trov pinned to 0.1, pe for the conversion's provenance) plus the document's own others (pop keeps whichever namespace the document used). */
function outputPrefixes(original: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = { pe: PE_NS, rdf: RDF_NS, rdfs: RDFS_NS, schema: SCHEMA_NS, trov: TROV_01_NS };
  const ours = new Set(Object.values(out));
  for (const [p, ns] of Object.entries(original)) {
    if (p in out || ours.has(ns) || ns === TROV_2023_05_NS || ns.startsWith('https://w3id.org/trace/')) continue;
    out[p] = ns;
  }
  return out;
}

/** `composition/1` → `<base>composition/1`; a compact IRI with a declared prefix expands; absolute IRIs stay. */
function resolveId(id: string, base: string, prefixes: Readonly<Record<string, string>>): string {
  const colon = id.indexOf(':');
  if (colon > 0) {
    const prefix = id.slice(0, colon);
    const ns = prefixes[prefix];
    if (ns !== undefined && !id.slice(colon + 1).startsWith('//')) return ns + id.slice(colon + 1);
    if (/^[A-Za-z][A-Za-z0-9+.-]*$/.test(prefix)) return id;
  }
  try {
    return new URL(id, base).href;
  } catch {
    return id;
  }
}

/** The TRO node's pe:selfUrl or pop:selfUrl (either pop namespace), read through the document's context. */
function troSelfUrl(doc: JsonValue, model: TroModel, label: string): string | undefined {
  let node: JsonValue = doc;
  let ctx = EMPTY_CONTEXT;
  if (isJsonObject(doc) && doc['@context'] !== undefined) ctx = extendContext(EMPTY_CONTEXT, doc['@context'], { label, pointer: '/@context' });
  for (const token of model.troPointer.split('/').slice(1)) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)] ?? null;
    else if (isJsonObject(node)) node = node[key] ?? null;
  }
  if (!isJsonObject(node)) return undefined;
  const wanted = new Set([`${PE_NS}selfUrl`, `${POP_NS}selfUrl`, `${MICROCOSM_NS}selfUrl`]);
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (typeof value === 'string' && wanted.has(expandVocab(ctx, key) ?? '')) return value;
  }
  return undefined;
}

function describeSource(source: BaseSource): string {
  return { option: '--base', document: "the document's own @base", 'self-url': 'the folder of its self URL', placeholder: 'the placeholder' }[source];
}

function structuralEntries(
  plan: ConversionPlan,
  prepared: ReturnType<typeof prepareDocument>,
  base: string,
  source: BaseSource,
  model: TroModel,
  fingerprint: string,
  fingerprintVerified: boolean,
  unreachable: number,
): StructuralEntry[] {
  const out: StructuralEntry[] = [];
  out.push({ rule: 'rule-base', summary: `@base ${base} (from ${describeSource(source)})`, count: 1, pointers: ['/@context'] });
  if (prepared.minted.length > 0) {
    out.push({ rule: 'rule-node-identifiers', summary: 'node objects given an @id', count: prepared.minted.length, pointers: prepared.minted.map((m) => m.pointer) });
  }
  const links = model.performances.flatMap((p) => [...(p.accessed ?? []), ...(p.contributed ?? [])]).filter((l) => !l.viaBinding);
  const bindings = plan.events.filter((e) => e.kind === 'binding').length;
  if (bindings > 0) out.push({ rule: 'rule-arrangement-binding', summary: 'direct arrangement links wrapped in trov:ArrangementBinding nodes', count: bindings, pointers: links.map((l) => l.pointer) });
  const typed = plan.events.filter((e) => e.kind === 'positional-type');
  if (typed.length > 0) out.push({ rule: 'rule-positional-types', summary: `nodes typed by their position (${[...new Set(typed.map((e) => e.detail.replace(TROV_01_NS, 'trov:')))].join(', ')})`, count: typed.length, pointers: [] });
  const replacedVersion = plan.events.find((e) => e.kind === 'vocabulary-version');
  out.push({
    rule: 'rule-vocabulary-version',
    summary: replacedVersion?.detail ?? (model.vocabularyVersion === '0.1' ? 'trov:vocabularyVersion "0.1" kept' : 'trov:vocabularyVersion "0.1" added'),
    count: 1,
    pointers: [model.troPointer],
  });
  out.push({
    rule: 'rule-fingerprint',
    summary: `${fingerprintVerified ? 'fingerprint recomputed with the TROv 0.1 rule' : 'fingerprint NOT recomputed (--allow-unverified): the claimed value is carried and does not match'}: ${fingerprint}; original ${model.fingerprint?.value ?? '(none)'} (${model.dialect.fingerprintAlgorithm}) kept as pe:originalFingerprint`,
    count: 1,
    pointers: model.fingerprint === undefined ? [] : [model.fingerprint.pointer],
  });
  if (prepared.nulls.length > 0) out.push({ rule: 'dropped-null', summary: 'null values dropped (JSON-LD has no null statements)', count: prepared.nulls.length, pointers: [...prepared.nulls] });
  if (unreachable > 0) out.push({ rule: 'dropped-node', summary: 'nodes the research object does not reach left out (TROv 0.1 has one top-level object)', count: unreachable, pointers: [] });
  return out;
}
