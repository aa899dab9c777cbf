// Finds the TRO node of a JSON-LD document and walks its tree once, recording every value and how it is spelled.
import { InputError } from '../errors.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../json/value.js';
import {
  type ActiveContext,
  EMPTY_CONTEXT,
  type NodeView,
  type ValueView,
  asNode,
  describeJson,
  expandVocab,
  keywordValue,
  literalString,
  nodeId,
  nodeTypes,
  nodeView,
  pointerJoin,
  referenceId,
  values,
} from './jsonld-view.js';
import type { HashSpelling, ReadFinding, TroArrangementLink, TroHash } from './model.js';

export const TROV_01_NS = 'https://w3id.org/trace/trov/0.1#';
/** The retired pre-release namespace (trov-demos, trace-model's explorations, policyengine.py before 93a1031). */
export const TROV_2023_05_NS = 'https://w3id.org/trace/2023/05/trov#';
export const KNOWN_TROV_NAMESPACES: readonly string[] = [TROV_01_NS, TROV_2023_05_NS];
/** PolicyEngine's extension namespace (policyengine.py, policyengine-us-data). */
export const PE_NS = 'https://policyengine.org/trace/0.1#';
/** Populace's extension namespace, before and after the rename to Microcosm (pe-data.md §0 item 6). */
export const POP_NAMESPACES: readonly string[] = ['https://populace.dev/trace/0.1#', 'https://microcosm.institute/trace/0.1#'];
const SCHEMA_NAMES = ['https://schema.org/name', 'http://schema.org/name'];
const RDFS_COMMENT = 'http://www.w3.org/2000/01/rdf-schema#comment';
const TRO_CLASS = 'TransparentResearchObject';

export interface ScannedArtifact {
  readonly id: string | undefined;
  readonly pointer: string;
  readonly hashes: readonly TroHash[];
  /** The hash spellings in the order the node's keys use them (empty when the artifact has no hash). */
  readonly spellings: readonly HashSpelling[];
  readonly mimeType: string | undefined;
  readonly name: string | undefined;
}

export interface ScannedLocation {
  readonly id: string | undefined;
  readonly pointer: string;
  readonly artifactId: string | undefined;
  readonly location: string | undefined;
  /** Every further string location the node gives (a second `trov:path`/`trov:hasLocation` value, or both keys). */
  readonly others: readonly string[];
  /** `trov:hasArtifact`/`trov:hasLocation` = pe; `trov:artifact`/`trov:path` = trov (per key actually used). */
  readonly artifactKey: 'hasArtifact' | 'artifact' | undefined;
  readonly locationKey: 'hasLocation' | 'path' | undefined;
  /** Reached through `trov:hasLocus` (2023/05 ArtifactLocus) rather than `trov:hasArtifactLocation`. */
  readonly viaLocus: boolean;
}

export interface ScannedArrangement {
  readonly id: string | undefined;
  readonly pointer: string;
  readonly comment: string | undefined;
  readonly locations: readonly ScannedLocation[];
}

export interface ScannedPerformance {
  readonly id: string | undefined;
  readonly pointer: string;
  readonly types: readonly string[];
  readonly typeIris: readonly string[];
  readonly comment: string | undefined;
  readonly startedAtTime: string | undefined;
  readonly endedAtTime: string | undefined;
  readonly accessed: readonly TroArrangementLink[];
  readonly contributed: readonly TroArrangementLink[];
}

export interface TroScan {
  readonly label: string;
  /** The trov namespace of the TRO node's type. */
  readonly namespace: string;
  readonly tro: NodeView;
  /** The TRO node's `@type` as written (e.g. `trov:TransparentResearchObject`) and expanded. */
  readonly troType: { readonly written: string; readonly iri: string };
  readonly troId: string | undefined;
  readonly name: string | undefined;
  readonly vocabularyVersion: string | undefined;
  readonly documentBase: string | null | undefined;
  /** Context terms in force on the TRO node (prefix → IRI). */
  readonly ctx: ActiveContext;
  /** Undefined when the TRO node has no `trov:hasComposition`. */
  readonly composition: { readonly id: string | undefined; readonly pointer: string } | undefined;
  readonly artifacts: readonly ScannedArtifact[];
  readonly fingerprint: { readonly hashes: readonly TroHash[]; readonly spellings: readonly HashSpelling[]; readonly pointer: string } | undefined;
  readonly arrangements: readonly ScannedArrangement[];
  readonly performances: readonly ScannedPerformance[];
  /** Types of the assembling TRS (`trov:wasAssembledBy`), expanded. */
  readonly systemTypeIris: readonly string[];
  readonly findings: readonly ReadFinding[];
}

/** The top-level node objects of a document, and the context and pointer they were found under. */
interface TopLevel {
  readonly nodes: readonly NodeView[];
  readonly rootCtx: ActiveContext;
  /** Pointer of the node list (`/@graph`), or '' when the root is itself the node (or an array of nodes). */
  readonly listPointer: string;
}

function unknownDialect(label: string, pointer: string, message: string): InputError {
  return new InputError('TRO_UNKNOWN_DIALECT', message, { location: { file: label, pointer } });
}

/** The top-level nodes: the `@graph` items, the root object itself, or the items of a root array. */
export function topLevelNodes(doc: JsonValue, label: string): TopLevel {
  if (Array.isArray(doc)) {
    const nodes = doc.flatMap((item, i) => (isJsonObject(item) ? [nodeView(item, `/${i}`, EMPTY_CONTEXT, label)] : []));
    return { nodes, rootCtx: EMPTY_CONTEXT, listPointer: '' };
  }
  if (!isJsonObject(doc)) throw unknownDialect(label, '', `not a JSON-LD document: the root is ${article(describeJson(doc))}, not an object`);
  const root = nodeView(doc, '', EMPTY_CONTEXT, label);
  const graph = keywordValue(root, '@graph');
  if (graph === undefined) return { nodes: [root], rootCtx: root.ctx, listPointer: '' };
  const listPointer = pointerJoin('', graph.key);
  const items = Array.isArray(graph.value) ? graph.value.map((v, i) => ({ v, p: pointerJoin(listPointer, i) })) : [{ v: graph.value, p: listPointer }];
  const nodes = items.flatMap(({ v, p }) => (isJsonObject(v) ? [nodeView(v, p, root.ctx, label)] : []));
  return { nodes, rootCtx: root.ctx, listPointer };
}

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

/** Splits an IRI into namespace and local name at the last `#` or `/`. */
function splitIri(iri: string): { ns: string; local: string } {
  const cut = Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/'));
  return { ns: iri.slice(0, cut + 1), local: iri.slice(cut + 1) };
}

/** Renders an expanded IRI in a known namespace as `trov:X` / `pe:X`, else as `<iri>`. */
export function shortName(iri: string): string {
  const { ns, local } = splitIri(iri);
  if (KNOWN_TROV_NAMESPACES.includes(ns) || ns.endsWith('/trov#')) return `trov:${local}`;
  if (ns === PE_NS) return `pe:${local}`;
  if (POP_NAMESPACES.includes(ns)) return `pop:${local}`;
  return `<${iri}>`;
}

interface TroCandidate {
  readonly view: NodeView;
  readonly written: string;
  readonly iri: string;
  readonly ns: string;
}

/**
 * Finds the TRO node (first top-level node typed `…TransparentResearchObject` in a namespace we read) and
 * walks it. Throws TRO_UNKNOWN_DIALECT when there is none, naming what was found instead.
 */
export function scanTro(doc: JsonValue, label: string): TroScan {
  const top = topLevelNodes(doc, label);
  const candidates: TroCandidate[] = [];
  for (const view of top.nodes) {
    for (const t of nodeTypes(view)) {
      if (t.iri === null) continue;
      const { ns, local } = splitIri(t.iri);
      if (local === TRO_CLASS) candidates.push({ view, written: t.written, iri: t.iri, ns });
    }
  }
  const known = candidates.filter((c) => KNOWN_TROV_NAMESPACES.includes(c.ns));
  const chosen = known[0];
  if (chosen === undefined) throw noTroNode(top, candidates, label);
  const findings: ReadFinding[] = [];
  const otherTros = known.filter((c) => c.view !== chosen.view);
  if (otherTros.length > 0) {
    findings.push({
      severity: 'warning',
      message: `${otherTros.length + 1} TRO nodes in the document; reading the first (${chosen.view.pointer}), ignoring ${otherTros.map((c) => c.view.pointer).join(', ')}`,
      pointer: chosen.view.pointer,
    });
  }
  return new Walker(label, chosen, top, findings).scan();
}

function noTroNode(top: TopLevel, candidates: readonly TroCandidate[], label: string): InputError {
  const first = candidates[0];
  if (first !== undefined) {
    return unknownDialect(
      label,
      pointerJoin(first.view.pointer, '@type'),
      `TRO node typed ${first.written} (${first.iri}): the namespace ${first.ns} is not a TROv version pe-trace reads (it reads ${KNOWN_TROV_NAMESPACES.join(' and ')})`,
    );
  }
  const seen: string[] = [];
  const trovTerms = [...top.rootCtx.terms].filter(([, def]) => def.iri !== null && /\/trov[#/]|trace\/.*trov/.test(def.iri));
  if (trovTerms.length === 0) seen.push('no TROv namespace in @context');
  for (const [term, def] of trovTerms) {
    const iri = def.iri ?? '';
    seen.push(KNOWN_TROV_NAMESPACES.includes(iri) ? `@context maps ${term} to ${iri}` : `@context maps ${term} to ${iri}, a namespace pe-trace does not read`);
  }
  const typeCounts = new Map<string, number>();
  for (const view of top.nodes) for (const t of nodeTypes(view)) typeCounts.set(t.written, (typeCounts.get(t.written) ?? 0) + 1);
  if (typeCounts.size > 0) {
    const listed = [...typeCounts].slice(0, 4).map(([t, n]) => (n > 1 ? `${t} ×${n}` : t));
    seen.push(`top-level node types: ${listed.join(', ')}${typeCounts.size > 4 ? ', …' : ''}`);
  }
  const untypedTro = top.nodes.find((v) => nodeTypes(v).length === 0 && Object.keys(v.node).some((k) => splitIri(expandVocab(v.ctx, k) ?? '').local === 'hasComposition'));
  if (untypedTro !== undefined) seen.push(`the node at ${untypedTro.pointer || '/'} has trov:hasComposition but no @type`);
  if (top.nodes.length === 0) seen.push('no node objects at all');
  return unknownDialect(label, top.listPointer, `not a TRO of any dialect pe-trace reads: no node typed trov:${TRO_CLASS} (${seen.join('; ')})`);
}

/** One pass over the TRO node; references to other top-level nodes are followed (flattened documents). */
class Walker {
  private readonly findings: ReadFinding[];
  private readonly byId = new Map<string, NodeView>();
  private readonly used = new Set<NodeView>();
  private readonly p: (local: string) => string;

  constructor(
    private readonly label: string,
    private readonly tro: TroCandidate,
    private readonly top: TopLevel,
    findings: ReadFinding[],
  ) {
    this.findings = findings;
    const ns = tro.ns;
    this.p = (local) => ns + local;
    for (const view of top.nodes) {
      const id = nodeId(view);
      if (id !== undefined && view !== tro.view && !this.byId.has(id)) this.byId.set(id, view);
    }
  }

  scan(): TroScan {
    const tro = this.tro.view;
    const p = this.p;
    const compositions = this.nodes(values(tro, p('hasComposition')), 'trov:hasComposition');
    const composition = compositions[0];
    if (compositions.length > 1) {
      this.warn(`${compositions.length} compositions on the TRO node; reading the first (${composition?.pointer ?? ''})`, pointerJoin(tro.pointer, 'trov:hasComposition'));
    }
    const artifacts = composition === undefined ? [] : this.nodes(values(composition, p('hasArtifact')), 'trov:hasArtifact').map((a) => this.artifact(a));
    if (composition !== undefined && artifacts.length === 0) this.warn('the composition lists no artifacts (trov:hasArtifact)', composition.pointer);
    const fingerprints = composition === undefined ? [] : this.nodes(values(composition, p('hasFingerprint')), 'trov:hasFingerprint');
    const fpNode = fingerprints[0];
    if (fingerprints.length > 1) this.warn(`${fingerprints.length} fingerprints on the composition; reading the first`, fpNode?.pointer ?? '');
    let fingerprint: TroScan['fingerprint'];
    if (fpNode !== undefined) {
      const { hashes, spellings } = this.hashes(fpNode);
      if (hashes.length > 1) this.warn(`the fingerprint carries ${hashes.length} hashes; the first is the claimed value`, fpNode.pointer);
      fingerprint = { hashes, spellings, pointer: fpNode.pointer };
    }
    const arrangements = this.nodes(values(tro, p('hasArrangement')), 'trov:hasArrangement').map((a) => this.arrangement(a));
    const performances = this.nodes(values(tro, p('hasPerformance')), 'trov:hasPerformance').map((v) => this.performance(v));
    const systems = this.nodes(values(tro, p('wasAssembledBy')), 'trov:wasAssembledBy');
    this.reportExtraNodes();
    const troId = nodeId(tro);
    if (troId === undefined) this.warn('the TRO node has no @id (in RDF it becomes a blank node)', tro.pointer);
    return {
      label: this.label,
      namespace: this.tro.ns,
      tro,
      troType: { written: this.tro.written, iri: this.tro.iri },
      troId,
      name: this.firstLiteral(tro, SCHEMA_NAMES),
      vocabularyVersion: this.firstLiteral(tro, [p('vocabularyVersion')]),
      documentBase: this.top.rootCtx.base,
      ctx: tro.ctx,
      composition: composition === undefined ? undefined : { id: nodeId(composition), pointer: composition.pointer },
      artifacts,
      fingerprint,
      arrangements,
      performances,
      systemTypeIris: systems.flatMap((s) => nodeTypes(s).flatMap((t) => (t.iri === null ? [] : [t.iri]))),
      findings: this.findings,
    };
  }

  private warn(message: string, pointer: string): void {
    this.findings.push({ severity: 'warning', message, pointer });
  }

  /** Node objects among the values; bare `{"@id"}` references to other top-level nodes are followed. */
  private nodes(vals: readonly ValueView[], what: string): NodeView[] {
    const out: NodeView[] = [];
    for (const v of vals) {
      const node = asNode(v, this.label);
      if (node === undefined) {
        this.warn(`${what} value is ${article(describeJson(v.value))}, not a node object; ignored`, v.pointer);
        continue;
      }
      out.push(this.follow(node));
    }
    return out;
  }

  private follow(node: NodeView): NodeView {
    const keys = Object.keys(node.node).filter((k) => k !== '@context');
    const id = nodeId(node);
    if (keys.length !== 1 || id === undefined) return node;
    const target = this.byId.get(id);
    if (target === undefined) return node;
    this.used.add(target);
    return target;
  }

  private firstLiteral(view: NodeView, iris: readonly string[]): string | undefined {
    for (const iri of iris) {
      for (const v of values(view, iri)) {
        const s = literalString(v.value);
        if (s !== undefined) return s;
      }
    }
    return undefined;
  }

  /** Hashes of an artifact or fingerprint node, in key order: `trov:sha256` literals and `trov:hash` objects. */
  private hashes(view: NodeView): { hashes: TroHash[]; spellings: HashSpelling[] } {
    const hashes: TroHash[] = [];
    const spellings: HashSpelling[] = [];
    const sha256Iri = this.p('sha256');
    const hashIri = this.p('hash');
    for (const key of Object.keys(view.node)) {
      const iri = expandVocab(view.ctx, key);
      if (iri !== sha256Iri && iri !== hashIri) continue;
      const spelling: HashSpelling = iri === sha256Iri ? 'trov:sha256' : 'trov:hash';
      if (!spellings.includes(spelling)) spellings.push(spelling);
      const sub: NodeView = { node: { [key]: view.node[key] ?? null } as JsonObject, pointer: view.pointer, ctx: view.ctx };
      for (const v of values(sub, iri)) {
        if (spelling === 'trov:sha256') {
          const value = literalString(v.value);
          if (value === undefined) this.warn(`trov:sha256 is ${article(describeJson(v.value))}, not a string; ignored`, v.pointer);
          else hashes.push({ algorithm: 'sha256', value, pointer: literalPointer(v), spelling });
        } else {
          const hash = this.hashObject(v);
          if (hash !== undefined) hashes.push(hash);
        }
      }
    }
    return { hashes, spellings };
  }

  private hashObject(v: ValueView): TroHash | undefined {
    const node = asNode(v, this.label);
    if (node === undefined) {
      this.warn(`trov:hash is ${article(describeJson(v.value))}, not a {trov:hashAlgorithm, trov:hashValue} object; ignored`, v.pointer);
      return undefined;
    }
    const alg = values(node, this.p('hashAlgorithm'))[0];
    const val = values(node, this.p('hashValue'))[0];
    const algorithm = alg === undefined ? undefined : literalString(alg.value);
    const value = val === undefined ? undefined : literalString(val.value);
    if (algorithm === undefined || value === undefined || val === undefined) {
      const missing = [algorithm === undefined ? 'trov:hashAlgorithm' : '', value === undefined ? 'trov:hashValue' : ''].filter(Boolean).join(' and ');
      this.warn(`trov:hash object lacks a string ${missing}; ignored`, node.pointer);
      return undefined;
    }
    return { algorithm, value, pointer: literalPointer(val), spelling: 'trov:hash' };
  }

  private artifact(view: NodeView): ScannedArtifact {
    const { hashes, spellings } = this.hashes(view);
    const id = nodeId(view);
    if (id === undefined) this.warn('artifact has no @id (no location can refer to it)', view.pointer);
    return {
      id,
      pointer: view.pointer,
      hashes,
      spellings,
      mimeType: this.firstLiteral(view, [this.p('mimeType')]),
      name: this.firstLiteral(view, SCHEMA_NAMES),
    };
  }

  private arrangement(view: NodeView): ScannedArrangement {
    const locations: ScannedLocation[] = [];
    for (const [prop, viaLocus] of [['hasArtifactLocation', false], ['hasLocus', true]] as const) {
      for (const loc of this.nodes(values(view, this.p(prop)), `trov:${prop}`)) locations.push(this.location(loc, viaLocus));
    }
    return { id: nodeId(view), pointer: view.pointer, comment: this.firstLiteral(view, [RDFS_COMMENT]), locations };
  }

  private location(view: NodeView, viaLocus: boolean): ScannedLocation {
    let artifactId: string | undefined;
    let artifactKey: ScannedLocation['artifactKey'];
    for (const key of ['artifact', 'hasArtifact'] as const) {
      const ref = values(view, this.p(key))[0];
      if (ref === undefined || artifactKey !== undefined) continue;
      artifactKey = key;
      artifactId = referenceId(ref) ?? (isCoercedReference(view, key, this.p) ? literalString(ref.value) : undefined);
      if (artifactId === undefined) this.warn(`trov:${key} is ${article(describeJson(ref.value))}, not an {"@id"} reference; ignored`, ref.pointer);
    }
    let location: string | undefined;
    let locationKey: ScannedLocation['locationKey'];
    for (const key of ['path', 'hasLocation'] as const) {
      const val = values(view, this.p(key))[0];
      if (val === undefined || locationKey !== undefined) continue;
      locationKey = key;
      location = literalString(val.value);
      if (location === undefined) this.warn(`trov:${key} is ${article(describeJson(val.value))}, not a string; ignored`, val.pointer);
    }
    // A verifier must check every place a location names, not only the first one read above.
    const others: string[] = [];
    for (const key of ['path', 'hasLocation'] as const) {
      for (const val of values(view, this.p(key))) {
        const text = literalString(val.value);
        if (text !== undefined && text !== location && !others.includes(text)) others.push(text);
      }
    }
    if (artifactKey === undefined) this.warn('location names no artifact (trov:artifact / trov:hasArtifact)', view.pointer);
    if (locationKey === undefined) this.warn('location has no path (trov:path / trov:hasLocation)', view.pointer);
    return { id: nodeId(view), pointer: view.pointer, artifactId, location, others, artifactKey, locationKey, viaLocus };
  }

  private performance(view: NodeView): ScannedPerformance {
    const types = nodeTypes(view);
    const contributed = this.links(view, 'contributedToArrangement');
    const modified = this.links(view, 'modifiedArrangement');
    if (modified.length > 0) {
      this.findings.push({
        severity: 'info',
        message: 'trov:modifiedArrangement (a pre-release spelling) read as trov:contributedToArrangement',
        pointer: modified[0]?.pointer ?? view.pointer,
      });
    }
    return {
      id: nodeId(view),
      pointer: view.pointer,
      types: types.map((t) => t.written),
      typeIris: types.flatMap((t) => (t.iri === null ? [] : [t.iri])),
      comment: this.firstLiteral(view, [RDFS_COMMENT]),
      startedAtTime: this.firstLiteral(view, [this.p('startedAtTime')]),
      endedAtTime: this.firstLiteral(view, [this.p('endedAtTime')]),
      accessed: this.links(view, 'accessedArrangement'),
      contributed: [...contributed, ...modified],
    };
  }

  private links(view: NodeView, prop: string): TroArrangementLink[] {
    const out: TroArrangementLink[] = [];
    for (const v of values(view, this.p(prop))) {
      const raw = asNode(v, this.label);
      if (raw === undefined) {
        this.warn(`trov:${prop} is ${article(describeJson(v.value))}, not an {"@id"} reference; ignored`, v.pointer);
        continue;
      }
      const node = this.follow(raw);
      const isBinding = nodeTypes(node).some((t) => t.iri === this.p('ArrangementBinding')) || values(node, this.p('arrangement')).length > 0;
      if (!isBinding) {
        const id = nodeId(node);
        if (id === undefined) this.warn(`trov:${prop} link has no @id; ignored`, v.pointer);
        else out.push({ arrangementId: id, viaBinding: false, pointer: v.pointer });
        continue;
      }
      const target = values(node, this.p('arrangement'))[0];
      const arrangementId = target === undefined ? undefined : referenceId(target);
      if (arrangementId === undefined) {
        this.warn('trov:ArrangementBinding names no arrangement (trov:arrangement {"@id"}); ignored', node.pointer);
        continue;
      }
      const bindingId = nodeId(node);
      const boundTo = this.firstLiteral(node, [this.p('boundTo')]);
      out.push({
        arrangementId,
        viaBinding: true,
        pointer: v.pointer,
        ...(bindingId === undefined ? {} : { bindingId }),
        ...(boundTo === undefined ? {} : { boundTo }),
      });
    }
    return out;
  }

  /** Top-level nodes that are neither the TRO nor reached from it: tolerated like the reference readers, reported. */
  private reportExtraNodes(): void {
    const extras = this.top.nodes.filter((v) => v !== this.tro.view && !this.used.has(v));
    if (extras.length === 0) return;
    const defined = collectDefinedIds(this.tro.view.node, this.tro.view.pointer);
    for (const extra of extras) {
      const id = nodeId(extra);
      const inside = id === undefined ? undefined : defined.get(id);
      const what = id === undefined ? 'a node without @id' : `node "${id}"`;
      const merge = inside === undefined ? '' : `; it shares its @id with the node at ${inside}, so in RDF their properties merge`;
      this.warn(`extra @graph entry (${what}) is not part of the TRO${merge}`, extra.pointer);
    }
  }
}

/** A JSON string is a reference only when the term coerces it (`"@type": "@id"`). */
function isCoercedReference(view: NodeView, local: string, p: (l: string) => string): boolean {
  const iri = p(local);
  for (const key of Object.keys(view.node)) {
    const def = view.ctx.terms.get(key);
    if (def !== undefined && def.iri === iri && def.coercesToId) return true;
  }
  return false;
}

/** The pointer of a literal's text (inside a value object when it is one). */
function literalPointer(v: ValueView): string {
  return isJsonObject(v.value) ? pointerJoin(v.pointer, '@value') : v.pointer;
}

/** `@id`s of node definitions (objects with more than an `@id`) inside a subtree, with their pointers. */
function collectDefinedIds(root: JsonValue, pointer: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (v: JsonValue, p: string): void => {
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, pointerJoin(p, i)));
    else if (isJsonObject(v)) {
      const id = v['@id'];
      if (typeof id === 'string' && Object.keys(v).length > 1 && !out.has(id)) out.set(id, p);
      for (const k of Object.keys(v)) if (k !== '@context') walk(v[k] ?? null, pointerJoin(p, k));
    }
  };
  walk(root, pointer);
  return out;
}
