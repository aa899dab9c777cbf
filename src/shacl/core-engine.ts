// pe-trace's compiled SHACL Core engine: shapes compiled once into closures, run over an indexed data graph.
import type { Term } from '@rdfjs/types';
import { type CompiledShape, type Constraint, type RunContext, type Sink, type Target, compileConstraint, defaultMessages } from './core-constraints.js';
import { UnsupportedShapesError, evalPath } from './core-paths.js';
import type { DataIndex } from './data-index.js';
import { RDFS, RDF_TYPE, SH, termKey } from './namespaces.js';
import type { ShaclValidationResult } from './report.js';
import type { ShapesIndex } from './shapes-index.js';

export { UnsupportedShapesError } from './core-paths.js';

/*
 * Why a second engine: rdf-validate-shacl costs 10–30 ms per TRO with our shapes (it materialises a result
 * graph for every nested sh:or/sh:not/sh:node evaluation); pe-trace validates thousands of documents one
 * at a time. This engine implements the SHACL Core subset our shapes use and refuses, at compile time, any
 * shapes graph that needs more (the wrapper then falls back to rdf-validate-shacl). Differential tests run
 * both engines on every fixture and on a mutation of every constraint, and require identical results.
 */

/** Shape-node predicates that carry no constraint (metadata, targets, parameters read with another one). */
const NON_CONSTRAINT = new Set(
  [
    'path', 'message', 'severity', 'deactivated', 'name', 'description', 'order', 'group', 'defaultValue',
    'targetClass', 'targetNode', 'targetSubjectsOf', 'targetObjectsOf', 'flags', 'qualifiedMinCount',
    'qualifiedMaxCount', 'qualifiedValueShapesDisjoint',
  ].map((n) => `${SH}${n}`),
);

const MAX_DEPTH = 64;

export class CoreShapes {
  private readonly index: ShapesIndex;
  private readonly compiled = new Map<string, CompiledShape>();
  private readonly targeted: CompiledShape[] = [];

  /** Compiles every shape of the graph; throws UnsupportedShapesError for constructs outside the subset. */
  constructor(index: ShapesIndex) {
    this.index = index;
    for (const q of index.quads) {
      const p = q.predicate.value;
      if (p === `${SH}sparql` || p === `${SH}target` || p === `${SH}rule` || p === `${SH}declare`) {
        throw new UnsupportedShapesError(`the shapes graph uses ${p.replace(SH, 'sh:')}, which pe-trace's core engine does not implement`);
      }
    }
    const seen = new Set<string>();
    for (const q of index.quads) {
      const p = q.predicate.value;
      const isTarget = p === `${SH}targetClass` || p === `${SH}targetNode` || p === `${SH}targetSubjectsOf` || p === `${SH}targetObjectsOf`;
      const implicit = p === RDF_TYPE && q.object.value === `${RDFS}Class` && index.objects(q.subject, RDF_TYPE).some((t) => t.value === `${SH}NodeShape`);
      if (!isTarget && !implicit) continue;
      const key = termKey(q.subject);
      if (seen.has(key)) continue;
      seen.add(key);
      this.targeted.push(this.shape(q.subject));
    }
  }

  /**
   * Every (shape, constraint component) pair that can appear in a report: the constraints of targeted shapes and
   * of the property shapes they reach through sh:property (not those of shapes used inside sh:node, sh:not, sh:or,
   * sh:qualifiedValueShape, whose failures are reported by the outer constraint).
   */
  reportableConstraints(): { readonly shape: Term; readonly component: string }[] {
    const out: { shape: Term; component: string }[] = [];
    const seen = new Set<string>();
    const visit = (shape: CompiledShape): void => {
      const key = termKey(shape.node);
      if (seen.has(key)) return;
      seen.add(key);
      for (const c of shape.constraints) {
        if (c.property !== undefined) visit(c.property);
        else out.push({ shape: shape.node, component: c.component });
      }
    };
    this.targeted.forEach(visit);
    return out;
  }

  /** Validates a data graph: every targeted shape on every focus node. */
  validate(data: DataIndex): ShaclValidationResult[] {
    const results: ShaclValidationResult[] = [];
    const ctx: RunContext = {
      data,
      depth: 0,
      conforms: (shape, node) => !this.runShape(shape, node, undefined, ctx),
    };
    for (const shape of this.targeted) {
      if (shape.deactivated) continue;
      for (const focus of focusNodes(shape, data)) this.runShape(shape, focus, results, ctx);
    }
    return results;
  }

  /** Returns true when the node fails the shape; results are pushed to the sink when one is given. */
  private runShape(shape: CompiledShape, focus: Term, sink: Sink, ctx: RunContext): boolean {
    if (shape.deactivated) return false;
    if (++ctx.depth > MAX_DEPTH) throw new UnsupportedShapesError('shape nesting deeper than 64 levels (recursive shapes are not supported)');
    try {
      const values = shape.path === undefined ? [focus] : evalPath(shape.path, focus, ctx.data);
      let failed = false;
      for (const c of shape.constraints) {
        if (c.property !== undefined) {
          // sh:property: each value node is validated against the property shape, whose results are reported as they are.
          for (const v of values) {
            if (!this.runShape(c.property, v, sink, ctx)) continue;
            failed = true;
            if (sink === undefined) return true;
          }
          continue;
        }
        const failures = c.run(focus, values, ctx);
        if (failures.length === 0) continue;
        failed = true;
        if (sink === undefined) return true;
        for (const f of failures) {
          sink.push({
            focusNode: focus,
            ...(shape.path === undefined ? {} : { resultPath: shape.path }),
            ...(f.value === undefined ? {} : { value: f.value }),
            severity: shape.severity,
            sourceConstraintComponent: c.component,
            sourceShape: shape.node,
            messages: shape.messages.length > 0 ? shape.messages : (c.defaults ?? []),
          });
        }
      }
      return failed;
    } finally {
      ctx.depth--;
    }
  }

  private shape(node: Term): CompiledShape {
    const key = termKey(node);
    const cached = this.compiled.get(key);
    if (cached !== undefined) return cached;
    const ix = this.index;
    const pathNode = ix.object(node, `${SH}path`);
    const severityNode = ix.object(node, `${SH}severity`);
    const shape: CompiledShape = {
      node,
      ...(pathNode === undefined ? {} : { path: ix.path(pathNode) }),
      severity: severityNode?.value === `${SH}Warning` ? 'Warning' : severityNode?.value === `${SH}Info` ? 'Info' : 'Violation',
      messages: ix.objects(node, `${SH}message`).map((m) => m.value),
      deactivated: ix.object(node, `${SH}deactivated`)?.value === 'true',
      constraints: [],
      targets: targetsOf(node, ix),
    };
    // Registered before its constraints are compiled, so a shape that refers to itself does not loop here.
    this.compiled.set(key, shape);
    shape.constraints = this.constraintsOf(node, shape.path !== undefined);
    return shape;
  }

  private constraintsOf(node: Term, isProperty: boolean): Constraint[] {
    const ix = this.index;
    const out: Constraint[] = [];
    for (const p of ix.predicates(node)) {
      if (!p.startsWith(SH) || NON_CONSTRAINT.has(p)) continue;
      const name = p.slice(SH.length);
      for (const value of ix.objects(node, p)) {
        const compiled = compileConstraint(name, value, node, isProperty, ix, (t) => this.shape(t));
        out.push({ ...compiled, defaults: defaultMessages(name, value, node, isProperty, ix) });
      }
    }
    const qMin = ix.object(node, `${SH}qualifiedMinCount`);
    const qMax = ix.object(node, `${SH}qualifiedMaxCount`);
    if ((qMin !== undefined || qMax !== undefined) && ix.object(node, `${SH}qualifiedValueShape`) === undefined) {
      throw new UnsupportedShapesError('sh:qualifiedMinCount/MaxCount without sh:qualifiedValueShape');
    }
    if (ix.object(node, `${SH}qualifiedValueShapesDisjoint`)?.value === 'true') {
      throw new UnsupportedShapesError('sh:qualifiedValueShapesDisjoint is not implemented');
    }
    return out;
  }
}

function targetsOf(node: Term, ix: ShapesIndex): Target[] {
  const out: Target[] = [];
  if (ix.objects(node, RDF_TYPE).some((t) => t.value === `${RDFS}Class`)) out.push({ kind: 'class', term: node });
  for (const t of ix.objects(node, `${SH}targetClass`)) out.push({ kind: 'class', term: t });
  for (const t of ix.objects(node, `${SH}targetNode`)) out.push({ kind: 'node', term: t });
  for (const t of ix.objects(node, `${SH}targetSubjectsOf`)) out.push({ kind: 'subjectsOf', predicate: t.value });
  for (const t of ix.objects(node, `${SH}targetObjectsOf`)) out.push({ kind: 'objectsOf', predicate: t.value });
  return out;
}

function focusNodes(shape: CompiledShape, data: DataIndex): Term[] {
  const seen = new Map<string, Term>();
  const add = (t: Term): void => {
    const k = termKey(t);
    if (!seen.has(k)) seen.set(k, t);
  };
  for (const t of shape.targets) {
    if (t.kind === 'class') data.instancesOf(t.term).forEach(add);
    else if (t.kind === 'node') add(t.term);
    else if (t.kind === 'subjectsOf') data.subjectsWith(t.predicate).forEach(add);
    else data.objectsOf(t.predicate).forEach(add);
  }
  return [...seen.values()];
}
