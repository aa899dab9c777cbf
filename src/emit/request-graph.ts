// The emission request: every value of one TRO, lifted into an n3 Store (req: facts + pe: facts) for a CONSTRUCT query.
import type { BlankNode, Literal, NamedNode } from '@rdfjs/types';
import { DataFactory, Store } from 'n3';
import { InputError, PeTraceError } from '../errors.js';
import { compositionFingerprint } from '../hash/fingerprint.js';
import { JsonNumber } from '../json/value.js';
import { CONSTRUCT_BASE, PE, RDF, REQ, XSD } from './vocab.js';

const { namedNode, blankNode, literal, quad } = DataFactory;

/** The request kinds, one per query in queries/. */
export type RequestKind = 'BundleTroRequest' | 'SimulationTroRequest';

/** One artifact of the composition, with its location; the array order is the emission order. */
export interface RequestArtifact {
  /** The short id: `composition/1/artifact/<shortId>`, `arrangement/1/location/<shortId>`. */
  readonly shortId: string;
  readonly sha256: string;
  readonly location: string;
  readonly mimeType?: string | undefined;
  readonly name?: string | undefined;
}

/** A `pe:*` performance value: a scalar, or a list of strings (written in order, e.g. `pe:preservationDoi`). */
export type PerformanceValue = string | boolean | JsonNumber | readonly string[];

/**
 * Every value of one pe-0.1 TRO, computed by the kind's builder (bundle-tro.ts, simulation-tro.ts). Where each
 * value goes in the TRO graph, and the constant parts of the graph, are the query's business (queries/).
 */
export interface EmissionRequest {
  readonly kind: RequestKind;
  readonly troName: string;
  /** Absent when the query writes a constant description (the simulation TRO). */
  readonly troDescription?: string | undefined;
  /** `trov:createdWith`'s `schema:softwareVersion`; null is written as JSON null. */
  readonly softwareVersion: string | null;
  readonly dateCreated?: string | undefined;
  readonly selfUrl?: string | undefined;
  readonly artifacts: readonly RequestArtifact[];
  readonly arrangementComment: string;
  readonly performanceComment: string;
  readonly startedAt?: string | undefined;
  readonly endedAt?: string | undefined;
  /** `pe:*` keys of the performance node, in the order they were decided (keys must be distinct). */
  readonly performance: ReadonlyArray<readonly [key: string, value: PerformanceValue]>;
}

/** The lifted request: the store the query reads (it also holds the ordering hints the framer reads). */
export interface RequestGraph {
  readonly store: Store;
  readonly fingerprint: string;
}

/** Fixed node ids of pe-0.1 and build TROs (interop §2.0, pe-data §2.3), resolved against the construct base. */
export function troNode(relativeId: string): NamedNode {
  return namedNode(`${CONSTRUCT_BASE}${relativeId}`);
}

const req = (name: string): NamedNode => namedNode(`${REQ}${name}`);

/**
 * Lifts a request into RDF: `req:request` carries the TRO-level facts (including `req:artifact` and
 * `req:location` links) and the `pe:*` performance facts; artifacts and locations are named by their TRO ids
 * and carry `req:order`, their emission order; the
 * items of a list value get hint nodes (`req:hintFor`, `req:property`, `req:value`, `req:order`). The
 * composition fingerprint is computed here, over the artifact hashes (policyengine.py's sha256-newline).
 */
export function buildRequestGraph(request: EmissionRequest): RequestGraph {
  const store = new Store();
  const root = req('request');
  let blank = 0;
  const fresh = (): BlankNode => blankNode(`r${++blank}`);
  const add = (s: NamedNode | BlankNode, p: NamedNode, o: string | boolean | JsonNumber | NamedNode | BlankNode | undefined): void => {
    if (o !== undefined) store.addQuad(quad(s, p, factTerm(o)));
  };

  add(root, namedNode(`${RDF}type`), req(request.kind));
  add(root, req('troName'), request.troName);
  add(root, req('troDescription'), request.troDescription);
  add(root, req('dateCreated'), request.dateCreated);
  add(root, req('selfUrl'), request.selfUrl);
  const software = fresh();
  add(root, req('createdWith'), software);
  add(software, req('softwareVersion'), request.softwareVersion ?? undefined);
  add(root, req('arrangementComment'), request.arrangementComment);
  add(root, req('performanceComment'), request.performanceComment);
  add(root, req('startedAt'), request.startedAt);
  add(root, req('endedAt'), request.endedAt);

  const seen = new Set<string>();
  request.artifacts.forEach((a, order) => {
    if (seen.has(a.shortId)) throw new PeTraceError('INTERNAL', `artifact ${a.shortId} is listed twice`);
    seen.add(a.shortId);
    const artifact = troNode(`composition/1/artifact/${a.shortId}`);
    const location = troNode(`arrangement/1/location/${a.shortId}`);
    add(root, req('artifact'), artifact);
    add(root, req('location'), location);
    add(artifact, req('order'), JsonNumber.ofInt(order));
    add(artifact, req('sha256'), a.sha256);
    add(artifact, req('mimeType'), a.mimeType);
    add(artifact, req('name'), a.name);
    add(location, req('order'), JsonNumber.ofInt(order));
    add(location, req('locates'), artifact);
    add(location, req('where'), a.location);
  });
  const fingerprint = compositionFingerprint(
    request.artifacts.map((a) => a.sha256),
    'sha256-newline',
  );
  add(root, req('fingerprint'), fingerprint);

  const keys = new Set<string>();
  for (const [key, value] of request.performance) {
    if (keys.has(key)) {
      throw new InputError('USAGE', `performance key ${key} would be set twice (an emission context or runtime environment key repeats one the TRO sets)`);
    }
    keys.add(key);
    const property = namedNode(`${PE}${key.slice('pe:'.length)}`);
    if (!Array.isArray(value)) {
      add(root, property, value as string | boolean | JsonNumber);
      continue;
    }
    (value as readonly string[]).forEach((item, order) => {
      add(root, property, item);
      const hint = fresh();
      add(hint, req('hintFor'), troNode('trp/1'));
      add(hint, req('property'), property);
      add(hint, req('value'), item);
      add(hint, req('order'), JsonNumber.ofInt(order));
    });
  }
  return { store, fingerprint };
}

/**
 * A request fact's object: strings plain literals, booleans xsd:boolean, JS numbers (build-request orders and
 * counts) xsd:integer by their decimal text, JsonNumbers per numberLiteral; nodes as they are.
 */
export function factTerm(value: string | boolean | number | JsonNumber | NamedNode | BlankNode): NamedNode | BlankNode | Literal {
  if (typeof value === 'string') return literal(value);
  if (typeof value === 'boolean') return literal(value ? 'true' : 'false', namedNode(`${XSD}boolean`));
  if (typeof value === 'number') return literal(String(value), namedNode(`${XSD}integer`));
  if (value instanceof JsonNumber) return numberLiteral(value);
  return value;
}

/**
 * ints become xsd:integer with their exact digits; floats xsd:double in the JSON-LD canonical shape (`1.5E0`)
 * but with the shortest round-trip digits, so the framer reads back the same double.
 */
function numberLiteral(n: JsonNumber): Literal {
  if (n.kind === 'int') return literal(String(n.int ?? BigInt(n.float)), namedNode(`${XSD}integer`));
  if (!Number.isFinite(n.float)) throw new InputError('CANON_UNSUPPORTED_VALUE', `a non-finite number (${n.float}) cannot be emitted`);
  if (Object.is(n.float, -0)) return literal('-0.0E0', namedNode(`${XSD}double`));
  const [mantissa = '0', exponent = '0'] = n.float.toExponential().split('e');
  const digits = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return literal(`${digits}E${Number(exponent)}`, namedNode(`${XSD}double`));
}
