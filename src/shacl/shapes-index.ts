// An indexed, read-only view of a shapes graph: objects by subject and predicate, RDF lists, SHACL property paths.
import type { Quad, Term } from '@rdfjs/types';
import { RDF_FIRST, RDF_NIL, RDF_REST, SH, termKey } from './namespaces.js';
import type { ShaclPath } from './report.js';

/** Raised when a shapes graph uses a construct the reader cannot interpret (a malformed list or path). */
export class ShapesGraphError extends Error {
  override readonly name = 'ShapesGraphError';
}

export class ShapesIndex {
  private readonly out = new Map<string, Map<string, Term[]>>();
  private readonly terms = new Map<string, Term>();
  readonly quads: readonly Quad[];

  constructor(quads: readonly Quad[]) {
    this.quads = quads;
    for (const q of quads) {
      const s = termKey(q.subject);
      this.terms.set(s, q.subject);
      let byPredicate = this.out.get(s);
      if (byPredicate === undefined) this.out.set(s, (byPredicate = new Map()));
      const list = byPredicate.get(q.predicate.value);
      if (list === undefined) byPredicate.set(q.predicate.value, [q.object]);
      else if (!list.some((o) => o.equals(q.object))) list.push(q.object);
    }
  }

  /** The objects of (subject, predicate), in file order, without duplicates. */
  objects(subject: Term, predicate: string): readonly Term[] {
    return this.out.get(termKey(subject))?.get(predicate) ?? [];
  }

  object(subject: Term, predicate: string): Term | undefined {
    return this.objects(subject, predicate)[0];
  }

  /** The predicates written on a subject. */
  predicates(subject: Term): readonly string[] {
    return [...(this.out.get(termKey(subject))?.keys() ?? [])];
  }

  /** Every subject of the graph (as terms). */
  subjects(): readonly Term[] {
    return [...this.terms.values()];
  }

  /** The members of an RDF list (rdf:first/rdf:rest) starting at `head`. */
  list(head: Term): Term[] {
    const items: Term[] = [];
    const seen = new Set<string>();
    let cur: Term | undefined = head;
    while (cur !== undefined && !(cur.termType === 'NamedNode' && cur.value === RDF_NIL)) {
      const key = termKey(cur);
      if (seen.has(key)) throw new ShapesGraphError(`the RDF list at ${key} is cyclic`);
      seen.add(key);
      const first = this.object(cur, RDF_FIRST);
      if (first === undefined) throw new ShapesGraphError(`the RDF list at ${key} has no rdf:first`);
      items.push(first);
      cur = this.object(cur, RDF_REST);
      if (cur === undefined) throw new ShapesGraphError(`the RDF list at ${key} has no rdf:rest`);
    }
    return items;
  }

  /** The SHACL property path written at `node` (an IRI, a list = sequence, or a path blank node). */
  path(node: Term): ShaclPath {
    if (node.termType === 'NamedNode') return { kind: 'predicate', iri: node.value };
    if (node.termType !== 'BlankNode') throw new ShapesGraphError(`a property path cannot be the literal ${JSON.stringify(node.value)}`);
    if (this.object(node, RDF_FIRST) !== undefined) return { kind: 'sequence', items: this.list(node).map((n) => this.path(n)) };
    const alternative = this.object(node, `${SH}alternativePath`);
    if (alternative !== undefined) return { kind: 'alternative', items: this.list(alternative).map((n) => this.path(n)) };
    const inverse = this.object(node, `${SH}inversePath`);
    if (inverse !== undefined) return { kind: 'inverse', path: this.path(inverse) };
    for (const kind of ['zeroOrMore', 'oneOrMore', 'zeroOrOne'] as const) {
      const inner = this.object(node, `${SH}${kind}Path`);
      if (inner !== undefined) return { kind, path: this.path(inner) };
    }
    throw new ShapesGraphError(`the blank node _:${node.value} is not a SHACL property path`);
  }
}
