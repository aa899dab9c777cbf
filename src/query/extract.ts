// Facts of one file from its bytes: JSON (TRO or manifest) or Turtle, classified by content, never fatal for data.
import { Parser as TurtleParser } from 'n3';
import type { Quad } from 'n3';
import { InputError } from '../errors.js';
import { parseJson } from '../json/parse.js';
import { isJsonObject } from '../json/value.js';
import type { ActiveContext } from '../tro/jsonld-view.js';
import { DOCUMENT_IRI_PREFIX, documentBaseIri } from '../rdf/lift.js';
import type { DocumentFacts } from './facts.js';
import { findTroNode, troFacts } from './extract-tro.js';
import { manifestFacts, manifestKind } from './extract-manifest.js';
import { type MapNode, type NodeMap, type NodeValue, buildNodeMap } from './json-nodes.js';
import { RDF_TYPE } from './namespaces.js';

/** Bumped whenever extraction changes, so cached facts from an older pe-trace are never reused. */
export const FACTS_VERSION = 1;

export type SourceFormat = 'json' | 'turtle';

/** The format a file name implies (`.json`, `.jsonld` → json; `.ttl`, `.nt` → turtle); undefined = not loaded. */
export function sourceFormat(name: string): SourceFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json') || lower.endsWith('.jsonld')) return 'json';
  if (lower.endsWith('.ttl') || lower.endsWith('.nt')) return 'turtle';
  return undefined;
}

/**
 * Reads one document's facts. Malformed bytes (bad JSON, bad Turtle, a remote JSON-LD context) throw the
 * located InputError the reader raises; a well-formed document we cannot classify is kind `other`.
 */
export function extractFacts(bytes: Uint8Array, format: SourceFormat, label: string, sha256?: string): DocumentFacts {
  // The graph is the lift's base for these bytes; a caller that hashed them already passes the hash.
  const graph = sha256 === undefined ? documentBaseIri(bytes) : `${DOCUMENT_IRI_PREFIX}${sha256}/`;
  if (format === 'turtle') return turtleFacts(parseTurtle(bytes, label, graph), graph);
  const doc = parseJson(bytes, { label });
  const mkind = manifestKind(doc);
  if (mkind !== undefined && isJsonObject(doc)) {
    const m = manifestFacts(doc, mkind, graph);
    return { kind: m.kind, graph, entities: m.entities, artifacts: m.artifacts, signals: m.signals, warnings: m.warnings };
  }
  if (looksLikeJsonLd(doc)) {
    const map = buildNodeMap(doc, label, graph);
    const found = findTroNode(map);
    if (found !== undefined) {
      const t = troFacts(map, found, graph);
      return { kind: 'tro', dialect: t.dialect, graph, entities: [t.entity], artifacts: t.artifacts, signals: t.signals, warnings: t.warnings };
    }
  }
  return { kind: 'other', graph, entities: [], artifacts: [], signals: [], warnings: [] };
}

/** JSON-LD at all: an object with `@context`/`@graph`/`@id`/`@type`, or an array of such objects. */
function looksLikeJsonLd(doc: unknown): boolean {
  const items = Array.isArray(doc) ? doc : [doc];
  return items.some((d) => isJsonObject(d as never) && ['@context', '@graph', '@id', '@type'].some((k) => Object.hasOwn(d as object, k)));
}

export interface ParsedTurtle {
  readonly quads: Quad[];
  readonly prefixes: Record<string, string>;
}

/** Parses Turtle / N-Triples with the document's graph as base IRI; errors are located `file:line`. */
export function parseTurtle(bytes: Uint8Array, label: string, base: string): ParsedTurtle {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError('RDF_PARSE', 'not valid UTF-8', { location: { file: label } });
  }
  const prefixes: Record<string, string> = {};
  try {
    const quads = new TurtleParser({ baseIRI: base }).parse(text, null, (prefix, iri) => {
      prefixes[prefix] = iri.value;
    });
    return { quads, prefixes };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const line = /on line (\d+)/.exec(message);
    const where = line === null ? { file: label } : { file: label, line: Number(line[1]) };
    throw new InputError('RDF_PARSE', `Turtle syntax error: ${message.replace(/\s+/g, ' ').replace(/ on line \d+\.?/, '')}`, { location: where });
  }
}

/** The IRI-level node map of parsed quads, so the TRO extractor reads Turtle TROs exactly as JSON-LD ones. */
export function nodeMapOfQuads(parsed: ParsedTurtle): NodeMap {
  const nodes = new Map<string, MapNode>();
  const keyOf = (t: Quad['subject'] | Quad['object']): string => (t.termType === 'BlankNode' ? `_:${t.value}` : t.value);
  const get = (key: string, iri: string | undefined): MapNode => {
    let n = nodes.get(key);
    if (n === undefined) {
      n = { key, pointer: key.startsWith('_:') ? key : `<${key}>`, types: [], props: new Map(), ...(iri === undefined ? {} : { iri, id: iri }) };
      nodes.set(key, n);
    }
    return n;
  };
  for (const q of parsed.quads) {
    const sKey = keyOf(q.subject);
    const s = get(sKey, q.subject.termType === 'NamedNode' ? q.subject.value : undefined);
    if (q.predicate.value === RDF_TYPE && q.object.termType === 'NamedNode') {
      s.types.push(q.object.value);
      continue;
    }
    let list = s.props.get(q.predicate.value);
    if (list === undefined) {
      list = [];
      s.props.set(q.predicate.value, list);
    }
    const pointer = `${s.pointer} <${q.predicate.value}>`;
    let value: NodeValue;
    if (q.object.termType === 'Literal') value = { kind: 'literal', value: q.object.value, pointer };
    else {
      const oKey = keyOf(q.object);
      get(oKey, q.object.termType === 'NamedNode' ? q.object.value : undefined);
      value = { kind: 'ref', key: oKey, pointer };
    }
    list.push(value);
  }
  const terms = new Map(Object.entries(parsed.prefixes).map(([p, iri]) => [p, { iri, coercesToId: false }]));
  const rootCtx: ActiveContext = { terms, vocab: undefined, base: undefined };
  return { nodes, top: [...nodes.keys()], rootCtx };
}

function turtleFacts(parsed: ParsedTurtle, graph: string): DocumentFacts {
  const map = nodeMapOfQuads(parsed);
  const found = findTroNode(map);
  if (found === undefined) return { kind: 'turtle', graph, entities: [], artifacts: [], signals: [], warnings: [] };
  const t = troFacts(map, found, graph);
  return { kind: 'tro', dialect: t.dialect, graph, entities: [t.entity], artifacts: t.artifacts, signals: t.signals, warnings: t.warnings };
}
