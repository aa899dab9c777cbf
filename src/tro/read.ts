// Reads a TRO JSON-LD tree (any dialect we read) into the typed TroModel, tolerant like the reference readers.
import { InputError } from '../errors.js';
import type { JsonValue } from '../json/value.js';
import { analyseDialect } from './dialect.js';
import type { ReadFinding, TroArrangement, TroArtifact, TroLocation, TroModel, TroPerformance } from './model.js';
import { type ScannedArtifact, type ScannedPerformance, scanTro } from './scan.js';

/**
 * Reads a TRO from its JSON tree (not RDF): the TRO node found by type among the top-level nodes (extra nodes
 * are reported, not fatal), artifacts in composition order, hashes in either spelling, locations from every
 * arrangement, the claimed fingerprint and the performances' arrangement links.
 *
 * A TRO node without a composition is TRO_MALFORMED; an artifact without a hash is NOT an error (its
 * `hashes` is empty and the verifier reports it). Throws TRO_UNKNOWN_DIALECT like `detectDialect`.
 */
export function readTroModel(doc: JsonValue, options: { label?: string } = {}): TroModel {
  const label = options.label ?? '<input>';
  const scan = scanTro(doc, label);
  if (scan.composition === undefined) {
    throw new InputError('TRO_MALFORMED', 'the TRO node has no composition (trov:hasComposition), so there are no artifacts to read', {
      location: { file: label, pointer: scan.tro.pointer },
    });
  }
  const { dialect, findings: dialectFindings } = analyseDialect(scan);
  const findings: ReadFinding[] = [...scan.findings, ...dialectFindings];
  const artifacts = scan.artifacts.map(toArtifact);
  const arrangements: TroArrangement[] = scan.arrangements.map((a) => ({
    ...(a.id === undefined ? {} : { id: a.id }),
    ...(a.comment === undefined ? {} : { comment: a.comment }),
    pointer: a.pointer,
    locations: a.locations.flatMap((l): TroLocation[] =>
      l.artifactId === undefined || l.location === undefined
        ? []
        : [
            {
              ...(l.id === undefined ? {} : { id: l.id }),
              artifactId: l.artifactId,
              location: l.location,
              ...(l.others.length === 0 ? {} : { others: l.others }),
              pointer: l.pointer,
            },
          ],
    ),
  }));
  const fingerprint = scan.fingerprint?.hashes[0];
  return {
    dialect,
    troId: scan.troId ?? '',
    troPointer: scan.tro.pointer,
    ...(scan.name === undefined ? {} : { name: scan.name }),
    ...(scan.vocabularyVersion === undefined ? {} : { vocabularyVersion: scan.vocabularyVersion }),
    ...(scan.documentBase === undefined ? {} : { documentBase: scan.documentBase }),
    ...(scan.composition.id === undefined ? {} : { compositionId: scan.composition.id }),
    ...(fingerprint === undefined ? {} : { fingerprint }),
    artifacts,
    arrangements,
    performances: scan.performances.map(toPerformance),
    findings,
  };
}

/** policyengine.py's `--skip` key: the text after the first `/artifact/` in the id, else the whole id. */
export function artifactShortId(id: string): string {
  const at = id.indexOf('/artifact/');
  return at < 0 ? id : id.slice(at + '/artifact/'.length);
}

function toArtifact(a: ScannedArtifact): TroArtifact {
  const id = a.id ?? '';
  return {
    id,
    shortId: artifactShortId(id),
    hashes: a.hashes,
    ...(a.mimeType === undefined ? {} : { mimeType: a.mimeType }),
    ...(a.name === undefined ? {} : { name: a.name }),
    pointer: a.pointer,
  };
}

function toPerformance(p: ScannedPerformance): TroPerformance {
  return {
    ...(p.id === undefined ? {} : { id: p.id }),
    pointer: p.pointer,
    types: p.types,
    ...(p.comment === undefined ? {} : { comment: p.comment }),
    ...(p.startedAtTime === undefined ? {} : { startedAtTime: p.startedAtTime }),
    ...(p.endedAtTime === undefined ? {} : { endedAtTime: p.endedAtTime }),
    accessed: p.accessed,
    contributed: p.contributed,
  };
}
