// SHACL property paths evaluated over an indexed data graph (predicate, sequence, alternative, inverse, *, +, ?).
import type { Term } from '@rdfjs/types';
import type { DataIndex } from './data-index.js';
import { termKey } from './namespaces.js';
import type { ShaclPath } from './report.js';

/** Raised for shapes outside the subset pe-trace's core engine implements (the wrapper then uses rdf-validate-shacl). */
export class UnsupportedShapesError extends Error {
  override readonly name = 'UnsupportedShapesError';
}

/** The value nodes reached from `focus` by a path (a set, in first-reached order). */
export function evalPath(path: ShaclPath, focus: Term, data: DataIndex): readonly Term[] {
  const out = new Map<string, Term>();
  const from = (nodes: readonly Term[], p: ShaclPath): Term[] => {
    const acc = new Map<string, Term>();
    for (const n of nodes) for (const v of evalPath(p, n, data)) acc.set(termKey(v), v);
    return [...acc.values()];
  };
  switch (path.kind) {
    case 'predicate':
      return data.objects(focus, path.iri);
    case 'inverse':
      if (path.path.kind === 'predicate') return data.subjectsOf(path.path.iri, focus);
      return inversePath(path.path, focus, data);
    case 'sequence': {
      let nodes: readonly Term[] = [focus];
      for (const p of path.items) nodes = from(nodes, p);
      return nodes;
    }
    case 'alternative':
      for (const p of path.items) for (const v of evalPath(p, focus, data)) out.set(termKey(v), v);
      return [...out.values()];
    case 'zeroOrOne':
      out.set(termKey(focus), focus);
      for (const v of evalPath(path.path, focus, data)) out.set(termKey(v), v);
      return [...out.values()];
    case 'zeroOrMore':
    case 'oneOrMore': {
      if (path.kind === 'zeroOrMore') out.set(termKey(focus), focus);
      const queue = [...evalPath(path.path, focus, data)];
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
        const k = termKey(n);
        if (out.has(k)) continue;
        out.set(k, n);
        queue.push(...evalPath(path.path, n, data));
      }
      return [...out.values()];
    }
  }
}

/** Inverse of a complex path: nodes from which the path reaches `focus` (only predicates/sequences/alternatives). */
function inversePath(path: ShaclPath, focus: Term, data: DataIndex): readonly Term[] {
  switch (path.kind) {
    case 'predicate':
      return data.subjectsOf(path.iri, focus);
    case 'inverse':
      return evalPath(path.path, focus, data);
    case 'sequence': {
      let nodes: readonly Term[] = [focus];
      for (const p of [...path.items].reverse()) {
        const acc = new Map<string, Term>();
        for (const n of nodes) for (const v of inversePath(p, n, data)) acc.set(termKey(v), v);
        nodes = [...acc.values()];
      }
      return nodes;
    }
    case 'alternative': {
      const acc = new Map<string, Term>();
      for (const p of path.items) for (const v of inversePath(p, focus, data)) acc.set(termKey(v), v);
      return [...acc.values()];
    }
    default:
      throw new UnsupportedShapesError(`the inverse of a ${path.kind} path is not implemented`);
  }
}
