// Names RDF terms of a lifted document the way the document writes them: relative @ids, prefixed IRIs, JSON pointers.
import type { Term } from '@rdfjs/types';
import { type JsonValue, isJsonObject } from '../json/value.js';
import { pointerJoin } from '../tro/jsonld-view.js';
import type { DataIndex } from './data-index.js';
import { DISPLAY_PREFIXES, XSD, compactIri, termKey } from './namespaces.js';

/**
 * Lifted IRIs live under a per-document base (`https://pe-trace.invalid/doc/<sha256>/tro`) or the document's own
 * `@base`; a reader knows them as `tro`, `composition/1/artifact/0`. Blank nodes (hash objects, createdWith) have
 * no name in the document, so they are named by the property that holds them: `trov:hash of composition/1/artifact/0`.
 */
export class NodeNamer {
  private readonly bases: readonly string[];
  private readonly prefixes: Readonly<Record<string, string>>;
  private readonly pointerSource: (() => ReadonlyMap<string, string>) | undefined;
  private pointers: ReadonlyMap<string, string> | undefined;
  private readonly index: DataIndex;

  constructor(options: {
    index: DataIndex;
    /** Bases to strip, most specific first (the document's own @base, then pe-trace's). */
    bases: readonly string[];
    /** The document's own prefixes (they win over the well-known ones). */
    prefixes?: Readonly<Record<string, string>>;
    /** Resolved IRI → JSON pointer of the object that defines it; computed on first use (most documents conform). */
    pointers?: () => ReadonlyMap<string, string>;
  }) {
    this.index = options.index;
    this.bases = options.bases;
    // The document's own prefixes win: a 2023/05 TRO's trov: terms are shown as it writes them.
    this.prefixes = { ...DISPLAY_PREFIXES, ...(options.prefixes ?? {}) };
    this.pointerSource = options.pointers;
  }

  iri(value: string): string {
    for (const base of this.bases) if (value.startsWith(base) && value.length > base.length) return value.slice(base.length);
    return compactIri(value, this.prefixes);
  }

  /** A readable name for a focus node or value. */
  name(t: Term, depth = 0): string {
    if (t.termType === 'NamedNode') return this.iri(t.value);
    if (t.termType === 'Literal') {
      const dt = t.datatype.value;
      if (t.language) return `${JSON.stringify(t.value)}@${t.language}`;
      return dt === `${XSD}string` ? JSON.stringify(t.value) : `${JSON.stringify(t.value)}^^${compactIri(dt, this.prefixes)}`;
    }
    if (t.termType === 'BlankNode') {
      const holders = this.index.incoming(t).sort(([p1, s1], [p2, s2]) => (p1 + termKey(s1) < p2 + termKey(s2) ? -1 : 1));
      const first = holders[0];
      if (first === undefined || depth > 3) return `_:${t.value}`;
      return `${compactIri(first[0], this.prefixes)} of ${this.name(first[1], depth + 1)}`;
    }
    return t.value;
  }

  /** The JSON pointer of the object that defines an IRI node, when it is known. */
  pointer(t: Term): string | undefined {
    if (t.termType !== 'NamedNode' || this.pointerSource === undefined) return undefined;
    this.pointers ??= this.pointerSource();
    return this.pointers.get(t.value);
  }
}

/**
 * Where each `@id` is defined in the JSON tree (the first object that carries the `@id` and at least one other
 * key), keyed by the IRI the id resolves to against `base` (WHATWG URL resolution, which agrees with JSON-LD's
 * for the relative ids TROs use).
 */
export function definitionPointers(doc: JsonValue, base: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (v: JsonValue, pointer: string): void => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, pointerJoin(pointer, i)));
      return;
    }
    if (!isJsonObject(v)) return;
    const id = v['@id'];
    if (typeof id === 'string' && Object.keys(v).length > 1) {
      const iri = resolve(id, base);
      if (iri !== undefined && !out.has(iri)) out.set(iri, pointer);
    }
    for (const key of Object.keys(v)) if (key !== '@context') walk(v[key] ?? null, pointerJoin(pointer, key));
  };
  walk(doc, '');
  return out;
}

function resolve(id: string, base: string): string | undefined {
  try {
    return new URL(id, base).href;
  } catch {
    return undefined;
  }
}
