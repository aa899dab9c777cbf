// The shared emission stages: lift the request, CONSTRUCT the TRO graph, frame it to the pe-0.1 tree, write canonical bytes.
import type { Quad } from '@rdfjs/types';
import { readAssetText } from '../assets.js';
import { canonicalJsonBytes } from '../json/canonical.js';
import type { JsonObject } from '../json/value.js';
import { constructQuads } from '../rdf/sparql.js';
import { framePeTro } from './frame.js';
import { type EmissionRequest, type RequestArtifact, type RequestGraph, buildRequestGraph } from './request-graph.js';

/** The CONSTRUCT queries of the emit area (files in queries/). */
export type TroQueryName = 'construct-bundle-tro.rq' | 'construct-simulation-tro.rq';

/** A data-quality observation about an emission (never an error): e.g. a dropped data release manifest. */
export interface EmitFinding {
  readonly severity: 'warning' | 'info';
  readonly code: string;
  readonly message: string;
}

/** An emitted TRO: the framed document, its canonical bytes, its fingerprint and RDF graph, and the findings. */
export interface EmittedTro {
  readonly document: JsonObject;
  /** Canonical JSON (policyengine.py's `serialize_trace_tro`): what is written to disk. */
  readonly bytes: Uint8Array;
  readonly fingerprint: string;
  /** The artifacts in emission order, with their hash, location, MIME type and name. */
  readonly artifacts: readonly RequestArtifact[];
  /** The constructed TRO graph (ids under CONSTRUCT_BASE). */
  readonly graph: readonly Quad[];
  readonly findings: readonly EmitFinding[];
}

const QUERY_FOR: Readonly<Record<EmissionRequest['kind'], TroQueryName>> = {
  BundleTroRequest: 'construct-bundle-tro.rq',
  SimulationTroRequest: 'construct-simulation-tro.rq',
};

const queries = new Map<TroQueryName, string>();

/** The text of a shipped query, read once per process. */
export function troQueryText(name: TroQueryName): string {
  let text = queries.get(name);
  if (text === undefined) {
    text = readAssetText('queries', name);
    queries.set(name, text);
  }
  return text;
}

/** Stage 1: the kind's CONSTRUCT query over the lifted request. */
export function constructTroGraph(request: EmissionRequest, lifted: RequestGraph): Promise<Quad[]> {
  const name = QUERY_FOR[request.kind];
  return constructQuads(lifted.store, troQueryText(name), `queries/${name}`);
}

/** Stages 2 and 3: frames the constructed quads (lists ordered by the request) and writes the canonical bytes. */
export function frameAndWrite(request: EmissionRequest, lifted: RequestGraph, quads: readonly Quad[], findings: readonly EmitFinding[]): EmittedTro {
  const { document, graph } = framePeTro(quads, lifted.store);
  return { document, bytes: canonicalJsonBytes(document), fingerprint: lifted.fingerprint, artifacts: request.artifacts, graph, findings };
}

/** The whole pipeline for one request. */
export async function emitTro(request: EmissionRequest, findings: readonly EmitFinding[]): Promise<EmittedTro> {
  const lifted = buildRequestGraph(request);
  const quads = await constructTroGraph(request, lifted);
  return frameAndWrite(request, lifted, quads, findings);
}
