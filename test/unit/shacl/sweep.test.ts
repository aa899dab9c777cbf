// Every constraint of every shipped shapes graph can fire: a generic RDF mutation of a conforming document triggers it,
// with the right focus node, path, shape and component; and both engines report exactly the same results for it.
import type { Quad, Term } from '@rdfjs/types';
import { DataFactory, Store } from 'n3';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/json/index.js';
import { liftJsonLd } from '../../../src/rdf/index.js';
import {
  type CompiledShapes,
  type ShaclPath,
  type ShaclReport,
  type ShapesGraphName,
  DataIndex,
  formatPath,
  loadShapesGraphs,
  validateShapes,
} from '../../../src/shacl/index.js';
import { POP_BUILD, PE_BUNDLE, PE_RUN, type Json, TRO_UTILS, bytesOf, fixtureJson, get, goodPrerelease, richTrov, set } from './support.js';

const { namedNode, literal, blankNode, quad } = DataFactory;
const SH = 'http://www.w3.org/ns/shacl#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const XSD = 'http://www.w3.org/2001/XMLSchema#';

/** A pe document that carries every pe:/pop: term the extension shapes describe, each with a good value. */
function everyExtensionTerm(): Json {
  const doc = fixtureJson(PE_BUNDLE);
  const trp = get(doc, '/@graph/0/trov:hasPerformance') as { [k: string]: Json };
  Object.assign(trp, {
    'pe:ciRunUrl': 'https://github.com/PolicyEngine/policyengine.py/actions/runs/1',
    'pe:ciGitSha': 'ab'.repeat(20),
    'pe:ciGitRef': 'refs/heads/main',
    'pe:builtWithModelPackageName': 'policyengine-us',
    'pe:builtWithModelGitSha': 'abc1234',
    'pe:dataBuildFingerprint': `sha256:${'cd'.repeat(32)}`,
    'pe:dataReleaseManifestStatus': 'unavailable',
    'pe:preservationDoi': ['10.5281/zenodo.20678518'],
    'pe:bundleFingerprint': 'ef'.repeat(32),
    'pe:bundleTroUrl': 'https://example.org/bundle.trace.tro.jsonld',
    'pop:buildId': 'populace-us-2024-x',
    'pop:buildSha': '9f1260b',
    'pop:builder': 'populace',
    'pop:gatesPassed': true,
    'pop:gateNames': ['smoke'],
  });
  const ctx = get(doc, '/@context/0') as { [k: string]: Json };
  ctx['pop'] = 'https://populace.dev/trace/0.1#';
  const tro = get(doc, '/@graph/0') as { [k: string]: Json };
  Object.assign(tro, { 'pe:selfUrl': 'https://example.org/us.trace.tro.jsonld', 'pop:buildDate': '2026-06-11' });
  set(doc, '/@graph/0/trov:hasArrangement/0/trov:hasArtifactLocation/0/pop:accessRestricted', true);
  return doc;
}

/** The populace build TRO with one restricted input bound at its access URL. */
function buildWithRestrictedInput(): Json {
  const doc = fixtureJson(POP_BUILD);
  set(doc, '/@graph/0/trov:hasArrangement/0/trov:hasArtifactLocation/0/pop:accessRestricted', true);
  return doc;
}

/** A run record that claims a hosted origin: the runtime binding `record --runtime-from-env` writes on the performance. */
function hostedRun(): Json {
  const doc = fixtureJson(PE_RUN);
  const trp = get(doc, '/@graph/0/trov:hasPerformance') as { [k: string]: Json };
  Object.assign(trp, {
    'pe:runtimeHost': 'cloud-run',
    'pe:service': 'policyengine-api',
    'pe:serviceRevision': 'policyengine-api-00042-xyz',
    'pe:containerImageSha': `sha256:${'ab'.repeat(32)}`,
    'pe:lockfileSha256': 'cd'.repeat(32),
  });
  return doc;
}

const GOOD: Readonly<Record<ShapesGraphName, readonly (() => Json)[]>> = {
  'trov-0.1': [richTrov, () => fixtureJson(TRO_UTILS)],
  'pe-0.1': [() => fixtureJson(PE_BUNDLE), () => fixtureJson(PE_RUN)],
  'trov-2023-05': [goodPrerelease],
  'pe-extension': [everyExtensionTerm],
  'profile-bundle': [() => fixtureJson(PE_BUNDLE)],
  'profile-run': [() => fixtureJson(PE_RUN), hostedRun],
  'profile-build': [buildWithRestrictedInput],
};

async function lifted(doc: Json): Promise<Quad[]> {
  const bytes = bytesOf(doc);
  return [...(await liftJsonLd(parseJson(bytes), { bytes })).quads];
}

/** What the shapes graph says about one reportable constraint. */
interface ConstraintInfo {
  readonly shape: Term;
  readonly component: string;
  /** The node shape whose targets give the focus nodes (the shape itself for node-level constraints). */
  readonly owner: Term;
  readonly path?: ShaclPath;
}

function describeConstraint(shapes: CompiledShapes, shape: Term, component: string): ConstraintInfo {
  const ix = shapes.index;
  const pathNode = ix.object(shape, `${SH}path`);
  const owner = pathNode === undefined ? shape : ix.quads.find((q) => q.predicate.value === `${SH}property` && q.object.equals(shape))?.subject;
  if (owner === undefined) throw new Error(`no owner for ${shape.value}`);
  return { shape, component, owner, ...(pathNode === undefined ? {} : { path: ix.path(pathNode) }) };
}

function targetsOf(shapes: CompiledShapes, owner: Term, data: DataIndex): Term[] {
  const ix = shapes.index;
  const out: Term[] = [];
  for (const c of ix.objects(owner, `${SH}targetClass`)) out.push(...data.instancesOf(c));
  for (const p of ix.objects(owner, `${SH}targetSubjectsOf`)) out.push(...data.subjectsWith(p.value));
  for (const p of ix.objects(owner, `${SH}targetObjectsOf`)) out.push(...data.objectsOf(p.value));
  return out;
}

/** Quads that realise the last hop of a path from `focus` (predicates, alternatives of predicates, sequences). */
function lastHop(path: ShaclPath, focus: Term, data: DataIndex): { subjects: Term[]; predicates: string[] } {
  if (path.kind === 'predicate') return { subjects: [focus], predicates: [path.iri] };
  if (path.kind === 'alternative') return { subjects: [focus], predicates: path.items.flatMap((p) => (p.kind === 'predicate' ? [p.iri] : [])) };
  if (path.kind === 'sequence') {
    let nodes: Term[] = [focus];
    for (const step of path.items.slice(0, -1)) nodes = nodes.flatMap((n) => lastHop(step, n, data).predicates.flatMap((p) => [...data.objects(n, p)]));
    const last = path.items[path.items.length - 1];
    return { subjects: nodes, predicates: last === undefined ? [] : lastHop(last, focus, data).predicates };
  }
  return { subjects: [], predicates: [] };
}

const same = (a: Term, b: Term): boolean => a.equals(b);

/** Replacement values to try: wrong lexical forms, kinds, datatypes, and the forbidden values of sh:not shapes. */
function candidateValues(shapes: CompiledShapes, info: ConstraintInfo): Term[] {
  const ix = shapes.index;
  const out: Term[] = [
    literal('zz not valid zz'),
    literal(''),
    literal('42', namedNode(`${XSD}integer`)),
    literal('false', namedNode(`${XSD}boolean`)),
    literal('urn:pop:payload:x:y'),
    namedNode('urn:pe-trace-test:untyped'),
    namedNode('https://w3id.org/trace/trov/0.1#NotATerm'),
    blankNode('pe_trace_test_blank'),
  ];
  for (const not of ix.objects(info.shape, `${SH}not`)) {
    for (const list of ix.objects(not, `${SH}in`)) out.push(...ix.list(list));
    out.push(...ix.objects(not, `${SH}hasValue`));
  }
  return out;
}

/** Mutated copies of a document's quads that might violate the constraint at `focus` (or at a focus they create). */
function* mutations(shapes: CompiledShapes, info: ConstraintInfo, quads: readonly Quad[], data: DataIndex): Generator<Quad[]> {
  const foci = targetsOf(shapes, info.owner, data);
  const without = (drop: (q: Quad) => boolean): Quad[] => quads.filter((q) => !drop(q));
  const replaceValue = (subject: Term, predicate: string, value: Term, by: Term): Quad[] =>
    quads.map((q) => (q.subject.equals(subject) && q.predicate.value === predicate && q.object.equals(value) ? quad(q.subject, q.predicate, by as Quad['object'], q.graph) : q));
  for (const focus of foci) {
    if (info.path === undefined) {
      // Node-level: the focus becomes a blank node; or one of its (or its objects') triples goes.
      const b = blankNode('pe_trace_test_focus');
      yield quads.map((q) => quad((q.subject.equals(focus) ? b : q.subject) as Quad['subject'], q.predicate, (q.object.equals(focus) ? b : q.object) as Quad['object'], q.graph));
      const near = [focus, ...quads.filter((q) => q.subject.equals(focus)).map((q) => q.object)];
      for (const q of quads.filter((x) => near.some((n) => n.equals(x.subject)))) yield without((x) => x === q);
      for (const q of quads.filter((x) => x.subject.equals(focus) && x.predicate.value !== RDF_TYPE)) for (const v of candidateValues(shapes, info)) yield replaceValue(q.subject, q.predicate.value, q.object, v);
      continue;
    }
    const hop = lastHop(info.path, focus, data);
    // No values at all.
    yield without((q) => hop.subjects.some((s) => same(s, q.subject)) && hop.predicates.includes(q.predicate.value));
    const values = hop.subjects.flatMap((s) => hop.predicates.flatMap((p) => [...data.objects(s, p)].map((v) => ({ s, p, v }))));
    // Too many values.
    const first = hop.subjects[0];
    const predicate = hop.predicates[0];
    if (first !== undefined && predicate !== undefined) {
      const extra = (i: number): Term => (values.some((x) => x.v.termType === 'Literal') ? literal(`extra ${i}`) : namedNode(`urn:pe-trace-test:extra-${i}`));
      yield [...quads, ...[0, 1, 2].map((i) => quad(first as Quad['subject'], namedNode(predicate), extra(i) as Quad['object']))];
    }
    // A wrong value, instead of each value or in addition to none.
    for (const by of candidateValues(shapes, info)) {
      for (const { s, p, v } of values) yield replaceValue(s, p, v, by);
      if (values.length === 0 && first !== undefined && predicate !== undefined) yield [...quads, quad(first as Quad['subject'], namedNode(predicate), by as Quad['object'])];
    }
  }
  // Create a focus node where there is none (or on a node of the wrong kind): add the target triple to each subject.
  const subjects = [...new Map(quads.map((q) => [q.subject.value, q.subject])).values()];
  const ix = shapes.index;
  for (const s of subjects) {
    for (const c of ix.objects(info.owner, `${SH}targetClass`)) yield [...quads, quad(s as Quad['subject'], namedNode(RDF_TYPE), c as Quad['object'])];
    for (const p of ix.objects(info.owner, `${SH}targetSubjectsOf`)) {
      yield [...quads, quad(s as Quad['subject'], p as Quad['predicate'], literal('x'))];
      yield [...quads, quad(s as Quad['subject'], p as Quad['predicate'], namedNode('urn:pe-trace-test:o'))];
    }
    for (const p of ix.objects(info.owner, `${SH}targetObjectsOf`)) {
      yield [...quads, quad(s as Quad['subject'], p as Quad['predicate'], literal('x'))];
      yield [...quads, quad(s as Quad['subject'], p as Quad['predicate'], namedNode('urn:pe-trace-test:o'))];
    }
  }
}

function rows(report: ShaclReport): string[] {
  return report.results.map((r) =>
    [r.focusNode.value, r.resultPath === undefined ? '' : formatPath(r.resultPath, (i) => i), r.sourceConstraintComponent, r.value?.value ?? '', r.sourceShape?.value ?? '', r.messages.join('; ')].join(' | '),
  );
}

const GRAPHS = Object.keys(GOOD) as ShapesGraphName[];

describe('every constraint of every shipped shapes graph fires, identically in both engines', () => {
  it.each(GRAPHS)('%s', async (graph) => {
    const core = await loadShapesGraphs([graph]);
    const zazuko = await loadShapesGraphs([graph], { engine: 'rdf-validate-shacl' });
    expect(core.engine).toBe('pe-trace');
    const docs = await Promise.all(GOOD[graph].map(async (make) => lifted(make())));
    for (const quads of docs) expect(rows(validateShapes(new Store(quads), core))).toEqual([]);

    const missed: string[] = [];
    const constraints = core.core?.reportableConstraints() ?? [];
    expect(constraints.length).toBeGreaterThan(0);
    for (const { shape, component } of constraints) {
      const info = describeConstraint(core, shape, component);
      let hit: { data: Quad[]; report: ShaclReport } | undefined;
      search: for (const quads of docs) {
        const data = new DataIndex(quads);
        for (const mutated of mutations(core, info, quads, data)) {
          const report = validateShapes(new Store(mutated), core);
          const found = report.results.find((r) => r.sourceShape?.equals(shape) && r.sourceConstraintComponent === component);
          if (found === undefined) continue;
          // The result names the shape's own path (none for node-level constraints).
          expect(found.resultPath).toEqual(info.path);
          hit = { data: mutated, report };
          break search;
        }
      }
      if (hit === undefined) {
        missed.push(`${formatPath(info.path ?? { kind: 'predicate', iri: '(node)' }, (i) => i)} ${component.replace(SH, 'sh:')} on ${info.owner.value}`);
        continue;
      }
      // Differential: rdf-validate-shacl reports exactly the same results on the mutated document.
      expect(rows(validateShapes(new Store(hit.data), zazuko))).toEqual(rows(hit.report));
    }
    expect(missed).toEqual([]);
  });
});
