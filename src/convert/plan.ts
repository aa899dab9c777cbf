// Plans a conversion: reads the lifted TRO graph with the term registry and writes the facts the construct-convert-*.rq queries apply.
import { DataFactory, type NamedNode, type Quad, type Quad_Object, type Term } from 'n3';
import { InputError } from '../errors.js';
import { compareCodePoints } from '../json/canonical.js';
import type { DialectId, FingerprintAlgorithm } from '../tro/model.js';
import { PE_NS, RDF_NS, TROV_01_NS, TROV_2023_05_NS, localNameOf } from '../vocab/namespaces.js';
import { type TermResolution, resolveTerm } from '../vocab/term-registry.js';

const { namedNode, literal, quad } = DataFactory;

/** The private namespace of plan facts: never in a converted document (`.invalid` cannot resolve). */
export const CV = 'https://pe-trace.invalid/convert#';
const RDF_TYPE = `${RDF_NS}type`;
const T1 = TROV_01_NS;
const TROV_NAMESPACES = [TROV_01_NS, TROV_2023_05_NS];

/** Local names (in either trov namespace) of the links from a performance to an arrangement or binding. */
const LINKS = new Set(['accessedArrangement', 'contributedToArrangement', 'modifiedArrangement']);

/** The class an object's position implies when it has no TROv type (keyed by the local name of the property). */
const POSITIONAL: Readonly<Record<string, string>> = {
  hasComposition: `${T1}ArtifactComposition`,
  hasFingerprint: `${T1}CompositionFingerprint`,
  hasArtifact: `${T1}ResearchArtifact`,
  artifact: `${T1}ResearchArtifact`,
  hasArrangement: `${T1}ArtifactArrangement`,
  hasArtifactLocation: `${T1}ArtifactLocation`,
  hasLocus: `${T1}ArtifactLocation`,
  hasPerformance: `${T1}TrustedResearchPerformance`,
  wasAssembledBy: `${T1}TrustedResearchSystem`,
  wasConductedBy: `${T1}TrustedResearchSystem`,
  wasTimestampedBy: `${T1}TimeStampingAuthority`,
};

export interface PlanInputs {
  /** The lifted document's quads (default graph). */
  readonly quads: readonly Quad[];
  readonly label: string;
  readonly dialect: DialectId;
  readonly fingerprintMethod: FingerprintAlgorithm;
  /** The fingerprint the original claims (hex), if any. */
  readonly originalFingerprint?: string;
  readonly originalSha256: string;
  /** Node IRIs in document order (for numbering bindings). */
  readonly order: ReadonlyMap<string, number>;
}

/** A structural decision, for the mapping report. */
export interface PlanEvent {
  readonly kind: 'binding' | 'positional-type' | 'dropped-term' | 'dropped-class' | 'set-aside' | 'vocabulary-version';
  readonly subject: string;
  readonly detail: string;
}

export interface ConversionPlan {
  /** The facts the queries read (cv: namespace), to add to the store. */
  readonly facts: Quad[];
  /** Statements the conversion replaces (the old fingerprint hash, the old vocabularyVersion): removed before querying. */
  readonly setAside: Quad[];
  readonly tro: string;
  readonly composition: string;
  readonly fingerprintNode: string;
  /** The TROv 0.1 fingerprint of the composition (hex). */
  readonly fingerprint: string;
  readonly events: readonly PlanEvent[];
}

/** Subject → predicate → objects. */
type Index = Map<string, Map<string, Term[]>>;

function indexQuads(quads: readonly Quad[]): Index {
  const out: Index = new Map();
  for (const q of quads) {
    const s = q.subject.value;
    let props = out.get(s);
    if (props === undefined) out.set(s, (props = new Map()));
    const list = props.get(q.predicate.value);
    if (list === undefined) props.set(q.predicate.value, [q.object]);
    else list.push(q.object);
  }
  return out;
}

function trovLocal(iri: string): string | undefined {
  const ns = TROV_NAMESPACES.find((n) => iri.startsWith(n));
  return ns === undefined ? undefined : iri.slice(ns.length);
}

/**
 * Builds the plan. Throws TRO_MALFORMED when the graph has no research object or no composition (nothing a
 * TROv 0.1 document could be built around). `fingerprint` (the TROv 0.1 value, computed by the caller from the
 * artifact hashes) becomes a fact for the metadata query.
 */
export function planConversion(inputs: PlanInputs, fingerprint: string): ConversionPlan {
  const index = indexQuads(inputs.quads);
  const events: PlanEvent[] = [];
  const facts: Quad[] = [];
  const setAside: Quad[] = [];
  let ruleCount = 0;
  const rule = (): NamedNode => namedNode(`${CV}rule/${ruleCount++}`);
  const fact = (s: NamedNode, p: string, o: Quad_Object): void => {
    facts.push(quad(s, namedNode(CV + p), o));
  };
  const taken = new Set<string>();
  for (const q of inputs.quads) {
    taken.add(q.subject.value);
    if (q.object.termType === 'NamedNode') taken.add(q.object.value);
  }
  const unique = (candidate: string): string => {
    let iri = candidate;
    for (let n = 2; taken.has(iri); n++) iri = `${candidate}-${n}`;
    taken.add(iri);
    return iri;
  };
  const objectsOf = (s: string, p: string): Term[] => index.get(s)?.get(p) ?? [];
  const localObjects = (s: string, local: string): Term[] => TROV_NAMESPACES.flatMap((ns) => objectsOf(s, ns + local));

  // The research object and its composition and fingerprint.
  const tros = [...index].filter(([, props]) => (props.get(RDF_TYPE) ?? []).some((t) => trovLocal(t.value) === 'TransparentResearchObject')).map(([s]) => s);
  const tro = tros.sort((a, b) => (inputs.order.get(a) ?? Infinity) - (inputs.order.get(b) ?? Infinity))[0];
  if (tro === undefined) throw new InputError('TRO_MALFORMED', 'no trov:TransparentResearchObject node to convert', { location: { file: inputs.label } });
  const composition = localObjects(tro, 'hasComposition').find((t) => t.termType === 'NamedNode')?.value;
  if (composition === undefined) throw new InputError('TRO_MALFORMED', 'the research object has no trov:hasComposition: nothing to fingerprint', { location: { file: inputs.label } });
  const oldFingerprints = localObjects(composition, 'hasFingerprint').filter((t) => t.termType === 'NamedNode').map((t) => t.value);
  const fingerprintNode = oldFingerprints[0] ?? unique(`${composition}/fingerprint`);

  // The old fingerprint value(s) are replaced: its hash objects and their statements are set aside.
  const asideSubjects = new Set<string>();
  for (const fp of oldFingerprints) {
    for (const h of localObjects(fp, 'hash')) if (h.termType === 'NamedNode') asideSubjects.add(h.value);
  }
  for (const q of inputs.quads) {
    const onOldFingerprint = oldFingerprints.includes(q.subject.value) && ['hash', 'sha256'].includes(trovLocal(q.predicate.value) ?? '');
    const oldVersion = q.subject.value === tro && trovLocal(q.predicate.value) === 'vocabularyVersion';
    if (asideSubjects.has(q.subject.value) || onOldFingerprint || oldVersion) {
      setAside.push(q);
      if (oldVersion && q.object.value !== '0.1') events.push({ kind: 'vocabulary-version', subject: tro, detail: `trov:vocabularyVersion "${q.object.value}" replaced by "0.1"` });
    }
  }
  for (const h of asideSubjects) taken.delete(h);
  const fingerprintHash = unique(`${fingerprintNode}/hash`);

  // Classes: each node's types converted, plus the class its position implies when it has no TROv type.
  const converted = new Map<string, string[]>();
  const classFacts = new Map<string, TermResolution>();
  for (const [s, props] of index) {
    const out: string[] = [];
    for (const t of props.get(RDF_TYPE) ?? []) {
      const r = classFacts.get(t.value) ?? resolveTerm(t.value);
      classFacts.set(t.value, r);
      out.push(...r.to);
    }
    converted.set(s, out);
  }
  const positional = new Map<string, string>();
  for (const [, props] of index) {
    for (const [p, objects] of props) {
      const local = trovLocal(p);
      const cls = local === undefined ? undefined : LINKS.has(local) ? undefined : POSITIONAL[local];
      for (const o of objects) {
        if (o.termType !== 'NamedNode') continue;
        const target = LINKS.has(local ?? '') && isBinding(o.value) ? `${T1}ArrangementBinding` : cls;
        if (target === undefined) continue;
        const has = converted.get(o.value) ?? [];
        if (!has.some((c) => c.startsWith(T1)) && !positional.has(o.value) && index.has(o.value)) positional.set(o.value, target);
      }
    }
  }
  function isBinding(iri: string): boolean {
    return localObjects(iri, 'arrangement').length > 0 || (converted.get(iri) ?? []).includes(`${T1}ArrangementBinding`);
  }
  const classesOf = (s: string): string[] => [...(converted.get(s) ?? []), ...(positional.has(s) ? [positional.get(s) as string] : [])];
  for (const [from, r] of classFacts) {
    const to = r.to[0];
    if (to === undefined) {
      events.push({ kind: 'dropped-class', subject: from, detail: `class ${from} has no TROv 0.1 counterpart` });
      continue;
    }
    const f = rule();
    fact(f, 'renameClass', namedNode(from));
    fact(f, 'to', namedNode(to));
  }
  for (const [s, cls] of positional) {
    const f = rule();
    fact(f, 'addType', namedNode(s));
    fact(f, 'to', namedNode(cls));
    events.push({ kind: 'positional-type', subject: s, detail: cls });
  }

  // Properties: links become bindings, sha256 literals hash objects, the rest is renamed (or dropped).
  const perPredicate = new Map<string, Map<string, TermResolution>>();
  const bindingsOf = new Map<string, number>();
  const links: { trp: string; p: string; to: string; target: string }[] = [];
  for (const [s, props] of index) {
    if (asideSubjects.has(s)) continue;
    for (const [p, objects] of props) {
      if (p === RDF_TYPE) continue;
      const local = trovLocal(p);
      if (local !== undefined && oldFingerprints.includes(s) && (local === 'hash' || local === 'sha256')) continue;
      if (local !== undefined && s === tro && local === 'vocabularyVersion') continue;
      const r = resolveTerm(p, classesOf(s));
      if (local !== undefined && LINKS.has(local)) {
        const to = r.to[0] ?? `${T1}${local}`;
        for (const o of objects) if (o.termType === 'NamedNode') links.push({ trp: s, p, to, target: o.value });
        continue;
      }
      if (r.change === 'restructured') {
        const values = objects.filter((o) => o.termType === 'Literal').map((o) => o.value).sort(compareCodePoints);
        values.forEach((v, i) => {
          const f = rule();
          fact(f, 'hashSubject', namedNode(s));
          fact(f, 'property', namedNode(p));
          fact(f, 'value', literal(v));
          fact(f, 'hashNode', namedNode(unique(values.length === 1 ? `${s}/hash` : `${s}/hash/${i}`)));
        });
        continue;
      }
      let bySubject = perPredicate.get(p);
      if (bySubject === undefined) perPredicate.set(p, (bySubject = new Map()));
      bySubject.set(s, r);
    }
  }
  for (const [p, bySubject] of perPredicate) {
    const resolutions = [...bySubject.values()];
    const same = resolutions.every((r) => r.to.join(' ') === resolutions[0]?.to.join(' '));
    for (const [s, r] of same ? [[undefined, resolutions[0]] as const] : [...bySubject]) {
      if (r === undefined) continue;
      const to = r.to[0];
      if (to === undefined || r.change === 'dropped') {
        events.push({ kind: 'dropped-term', subject: s ?? '', detail: p });
        continue;
      }
      const f = rule();
      if (s === undefined) fact(f, 'renameProperty', namedNode(p));
      else {
        fact(f, 'renamePropertyOn', namedNode(s));
        fact(f, 'property', namedNode(p));
      }
      fact(f, 'to', namedNode(to));
    }
  }
  // Bindings: numbered per performance in document order of their arrangements, accessed before contributed.
  const roleRank = (to: string): number => (to.endsWith('accessedArrangement') ? 0 : 1);
  links.sort((a, b) => compareCodePoints(a.trp, b.trp) || roleRank(a.to) - roleRank(b.to) || (inputs.order.get(a.target) ?? Infinity) - (inputs.order.get(b.target) ?? Infinity) || compareCodePoints(a.target, b.target));
  for (const link of links) {
    const f = rule();
    if (isBinding(link.target)) {
      fact(f, 'keepLink', namedNode(link.trp));
      fact(f, 'property', namedNode(link.p));
      fact(f, 'to', namedNode(link.to));
      fact(f, 'target', namedNode(link.target));
      continue;
    }
    let k = bindingsOf.get(link.trp) ?? 0;
    let binding = `${link.trp}/binding/${k}`;
    while (taken.has(binding)) binding = `${link.trp}/binding/${++k}`;
    taken.add(binding);
    bindingsOf.set(link.trp, k + 1);
    fact(f, 'bindPerformance', namedNode(link.trp));
    fact(f, 'property', namedNode(link.p));
    fact(f, 'to', namedNode(link.to));
    fact(f, 'arrangement', namedNode(link.target));
    fact(f, 'binding', namedNode(binding));
    events.push({ kind: 'binding', subject: link.trp, detail: `${localNameOf(link.to)} ${link.target} via ${binding}` });
  }

  // The research object's metadata and the new fingerprint.
  const plan = namedNode(`${CV}plan`);
  fact(plan, 'tro', namedNode(tro));
  fact(plan, 'composition', namedNode(composition));
  fact(plan, 'fingerprintNode', namedNode(fingerprintNode));
  fact(plan, 'fingerprintHash', namedNode(fingerprintHash));
  fact(plan, 'fingerprint', literal(fingerprint));
  // A document converted before keeps the provenance it records (so conversion is idempotent).
  const convertedBefore = objectsOf(tro, `${PE_NS}originalDialect`).length > 0;
  if (!convertedBefore) {
    fact(plan, 'originalDialect', literal(inputs.dialect));
    fact(plan, 'originalFingerprintMethod', literal(inputs.fingerprintMethod));
    fact(plan, 'originalDocumentSha256', literal(inputs.originalSha256));
    if (inputs.originalFingerprint !== undefined) fact(plan, 'originalFingerprint', literal(inputs.originalFingerprint));
  }
  for (const q of setAside) if (asideSubjects.has(q.subject.value)) events.push({ kind: 'set-aside', subject: q.subject.value, detail: q.predicate.value });
  return { facts, setAside, tro, composition, fingerprintNode, fingerprint, events };
}

