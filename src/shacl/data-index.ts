// An in-memory index of one data graph (all graphs merged): values by subject/predicate, inverse links, types.
import type { DatasetCore, Quad, Term } from '@rdfjs/types';
import { RDFS_SUBCLASS_OF, RDF_TYPE, termKey } from './namespaces.js';

/** The values of one (node, predicate): in first-seen order, with their keys for de-duplication. */
interface Values {
  readonly keys: Set<string>;
  readonly terms: Term[];
}

const NONE: readonly Term[] = [];

/**
 * Built once per document (a TRO is ~100 triples, so indexing costs microseconds) and then read by the SHACL
 * engine and the integrity checks. Values are sets: a triple asserted in two graphs counts once.
 */
export class DataIndex {
  private readonly out = new Map<string, Map<string, Values>>();
  private readonly inv = new Map<string, Map<string, Values>>();
  private readonly byPredicate = new Map<string, { subjects: Values; objects: Values }>();
  private readonly superclasses = new Map<string, Set<string>>();
  /** Class key → its instances (through rdfs:subClassOf*), built on first use. */
  private instances: Map<string, Term[]> | undefined;
  readonly size: number;

  constructor(quads: Iterable<Quad>) {
    let size = 0;
    for (const q of quads) {
      const s = termKey(q.subject);
      const o = termKey(q.object);
      const p = q.predicate.value;
      if (!add(this.out, s, p, o, q.object)) continue;
      size++;
      add(this.inv, o, p, s, q.subject);
      let pair = this.byPredicate.get(p);
      if (pair === undefined) this.byPredicate.set(p, (pair = { subjects: { keys: new Set(), terms: [] }, objects: { keys: new Set(), terms: [] } }));
      push(pair.subjects, s, q.subject);
      push(pair.objects, o, q.object);
    }
    this.size = size;
  }

  static fromDataset(data: DatasetCore): DataIndex {
    return new DataIndex(data.match(null, null, null, null));
  }

  /** Objects of (node, predicate). */
  objects(node: Term, predicate: string): readonly Term[] {
    return this.out.get(termKey(node))?.get(predicate)?.terms ?? NONE;
  }

  /** Subjects of (?, predicate, node). */
  subjectsOf(predicate: string, node: Term): readonly Term[] {
    return this.inv.get(termKey(node))?.get(predicate)?.terms ?? NONE;
  }

  /** Every subject that has `predicate`. */
  subjectsWith(predicate: string): readonly Term[] {
    return this.byPredicate.get(predicate)?.subjects.terms ?? NONE;
  }

  /** Every object of `predicate`. */
  objectsOf(predicate: string): readonly Term[] {
    return this.byPredicate.get(predicate)?.objects.terms ?? NONE;
  }

  /** Whether the node is the subject of at least one triple (is "defined" in the document). */
  isSubject(node: Term): boolean {
    return this.out.has(termKey(node));
  }

  /** The predicates used on a subject. */
  predicatesOf(node: Term): string[] {
    return [...(this.out.get(termKey(node))?.keys() ?? [])];
  }

  /** Incoming links of a node: [predicate, subject] pairs. */
  incoming(node: Term): [string, Term][] {
    const out: [string, Term][] = [];
    for (const [p, subjects] of this.inv.get(termKey(node)) ?? []) for (const s of subjects.terms) out.push([p, s]);
    return out;
  }

  /** The class and every superclass of it declared in this graph (rdfs:subClassOf*), as IRIs/keys. */
  superclassesOf(cls: Term): Set<string> {
    const key = termKey(cls);
    const cached = this.superclasses.get(key);
    if (cached !== undefined) return cached;
    const found = new Set<string>([key]);
    const queue: Term[] = [cls];
    for (let t = queue.pop(); t !== undefined; t = queue.pop()) {
      for (const sup of this.objects(t, RDFS_SUBCLASS_OF)) {
        const k = termKey(sup);
        if (!found.has(k)) {
          found.add(k);
          queue.push(sup);
        }
      }
    }
    this.superclasses.set(key, found);
    return found;
  }

  /** SHACL instance-of: an rdf:type of the node is the class or one of its subclasses (in the data graph). */
  isInstanceOf(node: Term, cls: Term): boolean {
    if (node.termType === 'Literal') return false;
    const want = termKey(cls);
    return this.objects(node, RDF_TYPE).some((t) => this.superclassesOf(t).has(want));
  }

  /** SHACL class targets: every node with a type that is the class or a subclass of it. */
  instancesOf(cls: Term): readonly Term[] {
    if (this.instances === undefined) {
      const instances = new Map<string, Term[]>();
      for (const node of this.subjectsWith(RDF_TYPE)) {
        const classes = new Set<string>();
        for (const t of this.objects(node, RDF_TYPE)) for (const c of this.superclassesOf(t)) classes.add(c);
        for (const c of classes) {
          const list = instances.get(c);
          if (list === undefined) instances.set(c, [node]);
          else list.push(node);
        }
      }
      this.instances = instances;
    }
    return this.instances.get(termKey(cls)) ?? NONE;
  }
}

function add(index: Map<string, Map<string, Values>>, key: string, predicate: string, valueKey: string, value: Term): boolean {
  let byPredicate = index.get(key);
  if (byPredicate === undefined) index.set(key, (byPredicate = new Map()));
  let values = byPredicate.get(predicate);
  if (values === undefined) byPredicate.set(predicate, (values = { keys: new Set(), terms: [] }));
  return push(values, valueKey, value);
}

function push(values: Values, key: string, value: Term): boolean {
  if (values.keys.has(key)) return false;
  values.keys.add(key);
  values.terms.push(value);
  return true;
}
