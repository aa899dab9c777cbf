// Restricted inputs of a build: curated specs (flags, an inputs file) and registry entries resolved to hash-bound artifacts with identifiers.
import { InputError } from '../errors.js';
import { JsonNumber, isJsonObject } from '../json/value.js';
import type { JsonValue } from '../json/value.js';
import { optional } from '../manifest/data-release-manifest.js';
import { childPointer } from '../manifest/fields.js';
import { type BuildFinding, info, warning } from './findings.js';
import {
  IdentifierError,
  doiUrl,
  normaliseDoi,
  normaliseIrsAgreementId,
  normaliseSha256,
  normaliseUkdsEdition,
  normaliseUkdsStudyNumber,
  ukdsFromDoi,
} from './identifiers.js';
import { buildMimeType } from './mime.js';
import type { RestrictionSignal } from './signals.js';
import type { RegistryRecord, SourceRegistry } from './sources.js';
import { nearMatches } from '../text/near-matches.js';

/** The fields a curator may give for one restricted input (snake_case, as in an inputs file). */
export type InputField =
  | 'sha256'
  | 'location'
  | 'name'
  | 'mime_type'
  | 'ukds_study_number'
  | 'ukds_edition'
  | 'doi'
  | 'irs_agreement_id'
  | 'licence'
  | 'kind'
  | 'basis';

/** Accepted spellings → field. The flag form uses the short kebab names (`ukds-study=9563`). */
const FIELD_ALIASES: Readonly<Record<string, InputField | 'id'>> = {
  id: 'id',
  sha256: 'sha256',
  location: 'location',
  url: 'location',
  name: 'name',
  mime_type: 'mime_type',
  'mime-type': 'mime_type',
  ukds_study_number: 'ukds_study_number',
  'ukds-study-number': 'ukds_study_number',
  ukds_study: 'ukds_study_number',
  'ukds-study': 'ukds_study_number',
  ukds_edition: 'ukds_edition',
  'ukds-edition': 'ukds_edition',
  doi: 'doi',
  irs_agreement_id: 'irs_agreement_id',
  'irs-agreement-id': 'irs_agreement_id',
  irs_agreement: 'irs_agreement_id',
  'irs-agreement': 'irs_agreement_id',
  licence: 'licence',
  license: 'licence',
  kind: 'kind',
  basis: 'basis',
};

/** One curated restricted input: an id (a registry id, or a new one) and what the curator says about it. */
export interface RestrictedInputSpec {
  readonly id: string;
  readonly fields: Readonly<Partial<Record<InputField, string>>>;
  /** Where the curator said it: `command line`, or `inputs.json#/0`. */
  readonly origin: string;
}

/** A restricted input resolved for the TRO: bound by hash, located at its canonical access URL, identified. */
export interface RestrictedInput {
  /** The TRO id segment (`composition/1/artifact/<id>`). */
  readonly id: string;
  readonly sha256: string;
  readonly location: string;
  /** How the location was chosen: given, the DOI resolver, the stage's source page, a URI locator, or a content URN. */
  readonly locationSource: 'given' | 'doi' | 'stage-source' | 'locator' | 'content-urn';
  readonly name?: string;
  readonly mimeType?: string;
  readonly ukdsStudyNumber?: string;
  readonly ukdsEdition?: number;
  readonly doi?: string;
  readonly irsAgreementId?: string;
  readonly licence?: string;
  readonly sourceKind?: string;
  /** Why the input is restricted; never empty for an input of the TRO. */
  readonly signals: readonly RestrictionSignal[];
  /** The registry record the hash came from (`file#pointer`) and that file's sha256. */
  readonly sourceRecord?: string;
  readonly registrySha256?: string;
}

export interface ResolvedInputs {
  readonly inputs: readonly RestrictedInput[];
  readonly findings: readonly BuildFinding[];
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const ABSOLUTE_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

/**
 * Parses `id=irs_puf_2015,sha256=…,location=https://…,ukds-study=9563,doi=…`. A comma starts a new field only when
 * `name=` follows it, so a URL with a comma survives. Unknown or repeated fields and a missing id are usage errors.
 */
export function parseRestrictedInputFlag(text: string): RestrictedInputSpec {
  const fields: Partial<Record<InputField, string>> = {};
  let id: string | undefined;
  for (const part of text.split(/,(?=\s*[A-Za-z_][A-Za-z0-9_-]*=)/)) {
    const eq = part.indexOf('=');
    if (eq < 0) throw usage(`--restricted-input "${text}": "${part}" is not name=value`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    const field = FIELD_ALIASES[key];
    if (field === undefined) throw usage(`--restricted-input: unknown field "${key}" (known: ${knownFields()})`);
    if (field === 'id') {
      if (id !== undefined) throw usage(`--restricted-input "${text}": id is given twice`);
      id = value;
    } else {
      if (fields[field] !== undefined) throw usage(`--restricted-input "${text}": ${key} is given twice`);
      fields[field] = value;
    }
  }
  if (id === undefined || id === '') throw usage(`--restricted-input "${text}": an id is required (id=…)`);
  if (!ID.test(id)) throw usage(`--restricted-input: id "${id}" must be letters, digits, ".", "_" or "-"`);
  return { id, fields, origin: 'command line' };
}

/** Reads an inputs file: a JSON array of objects (or `{"inputs": [...]}`) with the same fields, snake_case. */
export function readRestrictedInputsFile(doc: JsonValue, label: string): RestrictedInputSpec[] {
  const list = isJsonObject(doc) && Array.isArray(doc['inputs']) ? doc['inputs'] : doc;
  const base = list === doc ? '' : '/inputs';
  if (!Array.isArray(list)) throw located(label, '', 'expected a JSON array of restricted inputs (or {"inputs": [...]})');
  return list.map((item, i) => {
    const pointer = childPointer(base, i);
    if (!isJsonObject(item)) throw located(label, pointer, 'expected an object');
    const fields: Partial<Record<InputField, string>> = {};
    let id: string | undefined;
    for (const [key, value] of Object.entries(item)) {
      const field = FIELD_ALIASES[key];
      if (field === undefined) throw located(label, childPointer(pointer, key), `unknown field "${key}" (known: ${knownFields()})`);
      let text: string;
      if (typeof value === 'string') text = value.trim();
      else if (value instanceof JsonNumber && value.kind === 'int') text = String(value.int);
      else throw located(label, childPointer(pointer, key), 'expected a string or an integer');
      if (field === 'id') id = text;
      else fields[field] = text;
    }
    if (id === undefined || !ID.test(id)) throw located(label, childPointer(pointer, 'id'), 'an id of letters, digits, ".", "_" or "-" is required');
    return { id, fields, origin: `${label}#${pointer}` };
  });
}

/**
 * Resolves curated specs against the registry (a spec whose id names a registry record takes its hash,
 * identifiers and signals as defaults; the curator's values win), then, with `allRestricted`, adds every registry
 * input that some signal marks restricted. Records that share a sha256 are one input (sources.yaml pins and
 * stage artifacts often do). A curated input without a hash is an error: provenance without a hash is not
 * provenance. A registry input without one cannot be bound and is reported as a gap.
 */
export function resolveRestrictedInputs(
  specs: readonly RestrictedInputSpec[],
  registry: SourceRegistry | undefined,
  options: { readonly allRestricted?: boolean } = {},
): ResolvedInputs {
  const findings: BuildFinding[] = [];
  const inputs: RestrictedInput[] = [];
  const ids = new Set<string>();
  const hashes = new Set<string>();
  const records = registry?.records ?? [];
  for (const spec of specs) {
    if (ids.has(spec.id)) throw specError(spec, `restricted input ${spec.id} is given twice`);
    const record = records.find((r) => r.id === spec.id);
    const unknown = record === undefined && records.length > 0 ? ` (${closeIds(spec.id, records)})` : '';
    if (unknown !== '' && spec.fields.sha256 !== undefined) {
      findings.push(warning('INPUT_NOT_IN_SOURCES', `restricted input ${spec.id} matches no record of the sources files${unknown}: bound with the curated values only`));
    }
    const input = resolveSpec(spec, record === undefined ? [] : group(records, record), findings, unknown);
    if (hashes.has(input.sha256)) findings.push(warning('INPUT_REPEATED', `restricted input ${spec.id} has the same sha256 as an earlier input; it is bound twice`));
    ids.add(input.id);
    hashes.add(input.sha256);
    inputs.push(input);
  }
  if (options.allRestricted === true) {
    if (registry === undefined) throw new InputError('USAGE', 'selecting the restricted inputs of the sources needs at least one sources file');
    const gaps = new Set<string>();
    for (const record of records) {
      if (record.signals.length === 0) continue;
      if (record.sha256 === undefined) {
        if (!gaps.has(record.id)) {
          gaps.add(record.id);
          findings.push(
            warning('INPUT_UNHASHED', `${record.file}#${record.pointer} (${record.id}) is restricted (${record.signals.map((s) => s.detail).join('; ')}) but has no sha256: it cannot be bound, so this build's use of it stays unproven`),
          );
        }
        continue;
      }
      if (hashes.has(record.sha256)) continue;
      const members = group(records, record);
      const input = fromRecords(record.id, record.sha256, members, undefined, findings);
      ids.add(input.id);
      hashes.add(input.sha256);
      inputs.push(input);
    }
  }
  return { inputs, findings };
}

/** Every record with the same sha256 as `record` (registry order, `record` first), or just `record` when it has none. */
function group(records: readonly RegistryRecord[], record: RegistryRecord): RegistryRecord[] {
  if (record.sha256 === undefined) return [record];
  return [record, ...records.filter((r) => r !== record && r.sha256 === record.sha256)];
}

/** `did you mean A or B?` over the registry's record ids (edit distance, then substring), or how many ids there are. */
function closeIds(id: string, records: readonly RegistryRecord[]): string {
  const ids = [...new Set(records.map((r) => r.id))].sort();
  const near = nearMatches(id, ids, { limit: 5 });
  if (near.length > 0) return `did you mean ${near.join(' or ')}?`;
  return `none of its ${ids.length} record ids is close`;
}

function resolveSpec(spec: RestrictedInputSpec, members: readonly RegistryRecord[], findings: BuildFinding[], unknown = ''): RestrictedInput {
  const given = spec.fields.sha256;
  let sha256: string | undefined;
  if (given !== undefined) {
    try {
      sha256 = normaliseSha256(given);
    } catch (e) {
      throw specError(spec, `restricted input ${spec.id}: ${text(e)}`);
    }
  }
  const registrySha = members[0]?.sha256;
  if (sha256 !== undefined && registrySha !== undefined && sha256 !== registrySha) {
    throw specError(spec, `restricted input ${spec.id}: sha256 ${sha256} differs from the registry's ${registrySha} (${members[0]?.file ?? ''}#${members[0]?.pointer ?? ''})`);
  }
  sha256 ??= registrySha;
  if (sha256 === undefined) {
    const where = members.length > 0 ? ' and its registry record has none' : ` and no sources file has a record with that id${unknown}`;
    throw specError(spec, `restricted input ${spec.id} has no sha256${where}: provenance without a hash is not provenance`);
  }
  return fromRecords(spec.id, sha256, members, spec, findings);
}

/** Merges the registry records of one input with the curator's spec (the spec wins; disagreements are noted). */
function fromRecords(id: string, sha256: string, members: readonly RegistryRecord[], spec: RestrictedInputSpec | undefined, findings: BuildFinding[]): RestrictedInput {
  const first = <K extends keyof RegistryRecord>(key: K): RegistryRecord[K] | undefined => members.find((m) => m[key] !== undefined)?.[key];
  const fields = spec?.fields ?? {};
  const curated = <T>(field: InputField, parse: (v: string) => T, registryValue: T | undefined, label: string): T | undefined => {
    const raw = fields[field];
    if (raw === undefined || raw === '') return registryValue;
    let value: T;
    try {
      value = parse(raw);
    } catch (e) {
      throw specError(spec, `restricted input ${id}: ${text(e)}`);
    }
    if (registryValue !== undefined && registryValue !== value) {
      findings.push(warning('IDENTIFIER_CONFLICT', `restricted input ${id}: the curated ${label} ${String(value)} differs from the registry's ${String(registryValue)}; the curated value is used`));
    }
    return value;
  };

  const doi = curated('doi', normaliseDoi, first('doi'), 'DOI');
  let ukdsStudyNumber = curated('ukds_study_number', normaliseUkdsStudyNumber, first('ukdsStudyNumber'), 'UKDS study number');
  const fromDoi = doi === undefined ? undefined : ukdsFromDoi(doi);
  if (fromDoi !== undefined && ukdsStudyNumber !== undefined && fromDoi.study !== ukdsStudyNumber) {
    findings.push(warning('IDENTIFIER_CONFLICT', `restricted input ${id}: DOI ${doi ?? ''} names UKDS study ${fromDoi.study}, not ${ukdsStudyNumber}`));
  }
  ukdsStudyNumber ??= fromDoi?.study;
  const doiEdition = fromDoi !== undefined && fromDoi.study === ukdsStudyNumber ? fromDoi.edition : undefined;
  const ukdsEdition = curated('ukds_edition', normaliseUkdsEdition, first('ukdsEdition') ?? doiEdition, 'UKDS edition');
  const irsAgreementId = curated('irs_agreement_id', normaliseIrsAgreementId, undefined, 'IRS agreement id');
  const licence = curated('licence', (v) => v, first('licence'), 'licence');
  const sourceKind = curated('kind', (v) => v, first('kind'), 'source kind');
  const name = fields.name || first('name');

  const signals: RestrictionSignal[] = [];
  if (spec !== undefined) signals.push({ kind: 'curated', detail: fields.basis || 'named a restricted input by a curator', record: spec.origin });
  // One basis per distinct signal: a table listed by five stages is restricted for one reason, cited once (its first record).
  for (const m of members) for (const s of m.signals) if (!signals.some((x) => x.kind === s.kind && x.detail === s.detail)) signals.push(s);

  const { location, locationSource } = chooseLocation(id, sha256, fields.location, doi, members, spec);
  if (locationSource === 'content-urn') {
    findings.push(warning('INPUT_NO_ACCESS_URL', `restricted input ${id} has no known access URL (no location, DOI or source page): it is located at ${location}`));
  } else if (locationSource === 'locator') {
    findings.push(info('INPUT_LOCATOR_LOCATION', `restricted input ${id} is located at its registry locator ${location}`));
  }
  const mimeType = fields.mime_type || buildMimeType(name ?? '') || buildMimeType(location);
  const primary = members[0];
  return {
    id,
    sha256,
    location,
    locationSource,
    ...optional('name', name),
    ...optional('mimeType', mimeType),
    ...optional('ukdsStudyNumber', ukdsStudyNumber),
    ...optional('ukdsEdition', ukdsEdition),
    ...optional('doi', doi),
    ...optional('irsAgreementId', irsAgreementId),
    ...optional('licence', licence),
    ...optional('sourceKind', sourceKind),
    signals,
    ...optional('sourceRecord', primary === undefined ? undefined : `${primary.file}#${primary.pointer}`),
    ...optional('registrySha256', primary?.fileSha256),
  };
}

/** The canonical access URL: given > the DOI resolver > the stage's source page > a URI locator > a content URN. */
function chooseLocation(
  id: string,
  sha256: string,
  given: string | undefined,
  doi: string | undefined,
  members: readonly RegistryRecord[],
  spec: RestrictedInputSpec | undefined,
): { location: string; locationSource: RestrictedInput['locationSource'] } {
  if (given !== undefined && given !== '') {
    if (!ABSOLUTE_IRI.test(given)) throw specError(spec, `restricted input ${id}: location "${given}" is not an absolute URL or URN`);
    return { location: given, locationSource: 'given' };
  }
  if (doi !== undefined) return { location: doiUrl(doi), locationSource: 'doi' };
  const page = members.find((m) => m.stageSourceUrl !== undefined)?.stageSourceUrl;
  if (page !== undefined) return { location: page, locationSource: 'stage-source' };
  for (const m of members) {
    const token = m.locator?.split(/[;\s]/)[0];
    if (token !== undefined && /^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/.test(token)) return { location: token, locationSource: 'locator' };
  }
  return { location: `urn:pop:input:${id}:${sha256}`, locationSource: 'content-urn' };
}

function knownFields(): string {
  return Object.keys(FIELD_ALIASES)
    .filter((k) => !k.includes('_'))
    .join(', ');
}

function text(e: unknown): string {
  return e instanceof IdentifierError ? e.message : e instanceof Error ? e.message : String(e);
}

function usage(message: string): InputError {
  return new InputError('USAGE', message);
}

function located(file: string, pointer: string, message: string): InputError {
  return new InputError('MANIFEST_INVALID', message, { location: { file, pointer } });
}

/** An error about a spec: located in its inputs file, or a usage error for a flag. */
function specError(spec: RestrictedInputSpec | undefined, message: string): InputError {
  if (spec === undefined || spec.origin === 'command line') return usage(message);
  const hash = spec.origin.lastIndexOf('#');
  return located(spec.origin.slice(0, hash), spec.origin.slice(hash + 1), message);
}
