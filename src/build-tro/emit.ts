// Emits a build TRO: plan → request graph → SPARQL CONSTRUCT (queries/construct-build-tro.rq) → framed tree → canonical bytes, and writes it.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import { readAssetText } from '../assets.js';
import { InputError } from '../errors.js';
import { fsErrorText } from '../hash/digest.js';
import { canonicalJsonBytes } from '../json/canonical.js';
import type { JsonObject } from '../json/value.js';
import { writeFileAtomic } from '../manifest/atomic-write.js';
import { constructQuads } from '../rdf/sparql.js';
import type { BuildFinding } from './findings.js';
import { frameBuildTro } from './frame.js';
import type { BuildPayload } from './payloads.js';
import { type BuildTroOptions, type BuildTroPlan, planBuildTro } from './plan.js';
import { buildRequestGraph } from './request-graph.js';

export const BUILD_TRO_QUERY = 'construct-build-tro.rq';

export interface EmittedBuildTro {
  readonly document: JsonObject;
  /** Canonical JSON (indent 2, sorted keys, trailing newline): what is written. */
  readonly bytes: Uint8Array;
  readonly fingerprint: string;
  /** The constructed TRO graph (ids under the construct base). */
  readonly graph: readonly Quad[];
  readonly plan: BuildTroPlan;
  readonly findings: readonly BuildFinding[];
}

let queryText: string | undefined;

/** Plans, constructs and frames a build TRO. Nothing is written; bad input throws before any work. */
export async function emitBuildTro(options: BuildTroOptions): Promise<EmittedBuildTro> {
  return emitPlannedBuildTro(planBuildTro(options));
}

export async function emitPlannedBuildTro(plan: BuildTroPlan): Promise<EmittedBuildTro> {
  const request = buildRequestGraph(plan);
  queryText ??= readAssetText('queries', BUILD_TRO_QUERY);
  const quads = await constructQuads(request, queryText, `queries/${BUILD_TRO_QUERY}`);
  const { document, graph } = frameBuildTro(quads, request, plan.popNamespace);
  return { document, bytes: canonicalJsonBytes(document), fingerprint: plan.fingerprint, graph, plan, findings: plan.findings };
}

export interface WriteBuildTroOptions {
  /** Where the TRO goes (replaced atomically). */
  readonly out: string;
  /** How `out` is named in errors (the path as the user gave it). */
  readonly outLabel?: string;
  /** Also write each payload's preimage here as `<name>.json` (its canonical bytes, which hash to the URN's sha256). */
  readonly payloadDir?: string;
}

/** What was written, relative to the directories the caller gave (no absolute paths). */
export interface WrittenBuildTro {
  readonly payloadFiles: readonly string[];
}

/**
 * Writes the payload preimages (when asked) and then the TRO, each atomically (temp file + rename): a failure leaves
 * no partial file, and the TRO only appears once its payload files are in place.
 */
export async function writeBuildTro(emitted: EmittedBuildTro, options: WriteBuildTroOptions): Promise<WrittenBuildTro> {
  const payloadFiles = options.payloadDir === undefined ? [] : await writeBuildPayloads(emitted, options.payloadDir);
  await writeFileAtomic(options.out, emitted.bytes, { label: options.outLabel ?? options.out });
  return { payloadFiles };
}

/** Writes each payload preimage (canonical bytes) as `<dir>/<name>.json`, atomically; declared-hash payloads have none. Returns the file names. */
export async function writeBuildPayloads(emitted: EmittedBuildTro, dir: string): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', `cannot create the payload directory: ${fsErrorText(e)}`, { location: { file: dir } });
  }
  const names: string[] = [];
  for (const payload of emitted.plan.payloads) {
    if (payload.bytes === undefined) continue;
    const name = payloadFileName(payload);
    await writeFileAtomic(join(dir, name), payload.bytes, { label: join(dir, name) });
    names.push(name);
  }
  return names;
}

export function payloadFileName(payload: BuildPayload): string {
  return `${payload.name}.json`;
}
