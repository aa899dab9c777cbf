// Node plans for the fast JSON-LD lifter: per context and key sequence, the node's keys expanded and sorted once.
//
// Documents of a corpus repeat a few node shapes (the same keys, in the same order, under the same context). A node
// visit needs its keys' IRIs and the order jsonld.js's createNodeMap visits them in (by expanded IRI, then compact
// key); both depend on the context and the key sequence alone, never on the values or the base. So they are worked
// out the first time a shape is met and replayed after that (fast-lift.ts `Walk.fill`). A trie keyed by the keys
// themselves finds the plan without building a string per node.
import { type Ctx, type PlanTrie, expandWithoutBase, unsupported } from './fast-lift-context.js';

/** One property of a node, in visiting order: its compact key (none for an index map's literal) and expanded IRI. */
export interface PlannedProperty {
  readonly key: string | undefined;
  readonly iri: string;
}
export interface NodePlan {
  /** Whether the node has an `@type` key (its types are added before any property). */
  readonly hasType: boolean;
  readonly properties: readonly PlannedProperty[];
}

/** Trie nodes kept per context before the trie is emptied (a hostile corpus could bring any number of key sets). */
const PLAN_TRIE_MAX = 4096;

/**
 * The plan of a node object with `keys` (its own keys, in order) under `ctx`; `indexIri` when an index map gives the
 * node an index literal (which sorts first among the node's values of that IRI). Keys outside the modelled subset
 * (keywords other than `@id`, `@type`, `@context`; keys that do not expand to an absolute IRI) leave it, as before.
 */
export function planOf(ctx: Ctx, keys: readonly string[], indexIri: string | undefined): NodePlan {
  let root = ctx.plans;
  if (root === undefined) ctx.plans = root = { next: new Map(), size: 0 };
  if (root.size >= PLAN_TRIE_MAX) {
    root.next.clear();
    root.indexed?.clear();
    root.size = 0;
  }
  let at = root;
  if (indexIri !== undefined) at = edge(root, (root.indexed ??= new Map()), indexIri);
  for (let i = 0; i < keys.length; i++) at = edge(root, at.next, keys[i] as string);
  let plan = at.plan;
  if (plan === undefined) at.plan = plan = compile(ctx, keys, indexIri);
  return plan;
}

function edge(root: PlanTrie, edges: Map<string, PlanTrie>, label: string): PlanTrie {
  let to = edges.get(label);
  if (to === undefined) {
    edges.set(label, (to = { next: new Map(), size: 0 }));
    root.size++;
  }
  return to;
}

function compile(ctx: Ctx, keys: readonly string[], indexIri: string | undefined): NodePlan {
  let hasType = false;
  const iris: string[] = [];
  const compact: (string | undefined)[] = [];
  for (const key of keys) {
    if (key === '@context' || key === '@id') continue;
    if (key === '@type') hasType = true;
    else if (key.charCodeAt(0) === 64) unsupported();
    else {
      iris.push(keyIri(ctx, key));
      compact.push(key);
    }
  }
  if (indexIri !== undefined) {
    iris.push(indexIri);
    compact.push(undefined);
  }
  const order = iris.map((_, i) => i).sort((a, b) => (before(iris[a] as string, compact[a], iris[b] as string, compact[b]) ? -1 : before(iris[b] as string, compact[b], iris[a] as string, compact[a]) ? 1 : 0));
  return { hasType, properties: order.map((i) => ({ key: compact[i], iri: iris[i] as string })) };
}

/** A property key's IRI (memoised per context); keys that are not absolute IRIs leave the subset. */
export function keyIri(ctx: Ctx, key: string): string {
  let iri = ctx.keyIris.get(key);
  if (iri === undefined) {
    iri = expandWithoutBase(ctx, key, true) ?? unsupported();
    if (iri.startsWith('_:')) unsupported();
    ctx.keyIris.set(key, iri);
  }
  return iri;
}

/** Sort order of a node's keys: by expanded IRI, then compact key, an index map's literal (no key) first. */
function before(iri: string, key: string | undefined, otherIri: string, otherKey: string | undefined): boolean {
  if (iri !== otherIri) return iri < otherIri;
  if (otherKey === undefined) return false;
  return key === undefined || key < otherKey;
}
