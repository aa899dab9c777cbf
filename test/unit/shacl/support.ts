// Shared helpers for the shacl tests: fixtures as plain JSON, JSON-pointer mutations, finding results by display names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DocumentShaclReport, type ShaclProfile, type ShaclEngineName, shaclValidateDocument } from '../../../src/shacl/index.js';
import { FIXTURES } from '../../support/cli.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const TRO_UTILS = 'trace/tro-utils/GENERATED__tro-utils-HEAD-95ec41b-models-example.jsonld';
export const SPEC_EXAMPLE = 'trace/trace-specification/docs__tro-declaration-format.md__complete-example.jsonld';
export const PE_BUNDLE = 'policyengine-py/shipped/us.trace.tro.jsonld';
export const PE_RUN = 'policyengine-py/generated/run-record/run.trace.tro.jsonld';
export const POP_BUILD = 'pe-data/microcosm/packages__populace-data__build__us__populace_us_2024.trace.tro.jsonld';
export const DEMO_2023 = 'trace/trov-demos/demo__02-tro-examples__02-three-artifacts-one-trp__tro__tro.jsonld';

export function fixtureBytes(rel: string): Uint8Array {
  return readFileSync(join(FIXTURES, rel));
}

export function fixtureJson(rel: string): Json {
  return JSON.parse(readFileSync(join(FIXTURES, rel), 'utf8')) as Json;
}

export function bytesOf(doc: Json): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(doc, null, 2));
}

function tokens(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function container(doc: Json, pointer: string): { parent: Json; key: string } {
  const ts = tokens(pointer);
  const key = ts.pop();
  if (key === undefined) throw new Error('cannot address the root');
  let cur: Json = doc;
  for (const t of ts) {
    const next: Json | undefined = Array.isArray(cur) ? cur[Number(t)] : cur !== null && typeof cur === 'object' ? cur[t] : undefined;
    if (next === undefined) throw new Error(`no ${t} in ${pointer}`);
    cur = next;
  }
  return { parent: cur, key };
}

export function get(doc: Json, pointer: string): Json {
  if (pointer === '') return doc;
  const { parent, key } = container(doc, pointer);
  const v = Array.isArray(parent) ? parent[Number(key)] : parent !== null && typeof parent === 'object' ? parent[key] : undefined;
  if (v === undefined) throw new Error(`nothing at ${pointer}`);
  return v;
}

export function set(doc: Json, pointer: string, value: Json): void {
  const { parent, key } = container(doc, pointer);
  if (Array.isArray(parent)) parent[Number(key)] = value;
  else if (parent !== null && typeof parent === 'object') parent[key] = value;
  else throw new Error(`cannot set ${pointer}`);
}

export function del(doc: Json, pointer: string): void {
  const { parent, key } = container(doc, pointer);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (parent !== null && typeof parent === 'object') delete parent[key];
  else throw new Error(`cannot delete ${pointer}`);
}

export function clone<T extends Json>(doc: T): T {
  return JSON.parse(JSON.stringify(doc)) as T;
}

/**
 * A TROv 0.1 document that uses every construct the shapes check (tro-utils' output plus a TSA, a TRO attribute,
 * a GPG signing mechanism and a custom capability term), and conforms.
 */
export function richTrov(): Json {
  const doc = fixtureJson(TRO_UTILS);
  const tro = get(doc, '/@graph/0') as { [key: string]: Json };
  tro['trov:wasTimestampedBy'] = { '@id': 'tsa', '@type': 'trov:TimeStampingAuthority', 'trov:publicKey': '-----BEGIN PUBLIC KEY-----\n...\n-----END PUBLIC KEY-----\n' };
  tro['trov:hasAttribute'] = [{ '@id': 'tro/attribute/0', '@type': 'trov:IncludesAllInputData', 'trov:warrantedBy': { '@id': 'trp/0/attribute/0' } }];
  tro['trov:signingMechanism'] = { '@id': 'trov:GPGSigning' };
  const trs = tro['trov:wasAssembledBy'] as { [key: string]: Json };
  trs['trov:customTerm'] = [{ '@id': 'https://example.org/trs#CanPinIdentifiers', 'rdfs:subClassOf': { '@id': 'trov:TRSCapabilityType' } }];
  (trs['trov:hasCapability'] as Json[]).push({ '@id': 'trs/capability/2', '@type': 'https://example.org/trs#CanPinIdentifiers' });
  return doc;
}

/** The trov-demos pre-release example with its placeholder fingerprint replaced by the correct one. */
export function goodPrerelease(): Json {
  const doc = fixtureJson(DEMO_2023);
  set(doc, '/@graph/0/trov:hasComposition/trov:hasFingerprint/trov:sha256', '37f857afd3e37a9cdcb05c2192507b8ddb689ec8897a61930838743401c2d847');
  return doc;
}

export async function validate(doc: Json | Uint8Array, profile: ShaclProfile = 'auto', engine?: ShaclEngineName): Promise<DocumentShaclReport> {
  const bytes = doc instanceof Uint8Array ? doc : bytesOf(doc);
  return shaclValidateDocument(bytes, { label: 'doc.jsonld', profile, ...(engine === undefined ? {} : { engine }) });
}

/** The results as `focus | path | component` lines (display names), for readable assertions. */
export function lines(report: DocumentShaclReport): string[] {
  return report.results.map((r) => `${r.display.focus} | ${r.display.path ?? ''} | ${r.display.component}`);
}
