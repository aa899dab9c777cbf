// Structural validation of a TRO with the shipped JSON Schema of its dialect (Ajv, draft 2020-12), plus advisory warnings.
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import { lazyRequire } from '../lazy.js';

const ajvModule = lazyRequire<typeof import('ajv/dist/2020.js')>('ajv/dist/2020.js');
import { readAssetText } from '../assets.js';
import { PeTraceError } from '../errors.js';
import { toPlainJson, type JsonValue, type PlainJson } from '../json/value.js';
import { detectDialect } from '../tro/dialect.js';
import type { DialectId } from '../tro/model.js';
import { describeAjvErrors, jsonPointer, type SchemaReport, type SchemaWarning } from './report.js';

/**
 * The schema file (under shapes/) for each dialect. pe-0.1-hash (pe: namespace with TROv 0.1 hash
 * objects, e.g. policyengine-us-data) has the TROv 0.1 tree, so it shares that schema. The retired
 * 2023/05 pre-release has none: its TROs need `shacl-validate` or `convert` first.
 */
const SCHEMA_FILES: Readonly<Record<DialectId, string | null>> = {
  'pe-0.1': 'pe-0.1.tro.schema.json',
  'pe-0.1-hash': 'trov-0.1.tro.schema.json',
  'trov-0.1': 'trov-0.1.tro.schema.json',
  'trov-2023-05': null,
};

/**
 * The `pe:emittedIn` values policyengine.py is known to write. Others are warned about, not rejected:
 * the value is a free label (an emission_context mapping can set anything), and policyengine.py's own
 * enum already lags its data (`repository-bundle`, on every shipped TRO since 2026-06-28, is not in it).
 * Kept equal to the `examples` of `$defs/emittedIn` in shapes/pe-0.1.tro.schema.json (tested).
 */
export const KNOWN_EMITTED_IN: readonly string[] = ['local', 'github-actions', 'policyengine-api', 'repository-bundle'];

const TRO_TYPE = 'trov:TransparentResearchObject';

/** The schema of data build TROs (populace / microcosm): pe-0.1 spellings with the pop: namespace instead of pe:. */
const BUILD_SCHEMA_FILE = 'pe-0.1-build.tro.schema.json';
const POP_NAMESPACES: readonly string[] = ['https://populace.dev/trace/0.1#', 'https://microcosm.institute/trace/0.1#'];

/**
 * Whether a pe-0.1 document is a data build TRO: its @context binds some prefix to a pop: namespace and declares
 * no pe: prefix. Decided from the context alone, so a build TRO that lacks its build facts is still checked (and
 * rejected) as one, rather than against the bundle/run schema.
 */
export function isBuildTroDocument(doc: JsonValue): boolean {
  const plain = toPlainJson(doc);
  if (!isObject(plain)) return false;
  const context = plain['@context'];
  const objects = (Array.isArray(context) ? context : [context]).filter(isObject);
  const bindings = objects.flatMap((o) => Object.entries(o));
  return bindings.some(([, iri]) => typeof iri === 'string' && POP_NAMESPACES.includes(iri)) && !bindings.some(([prefix]) => prefix === 'pe');
}

interface CompiledSchema {
  readonly id: string;
  /** The schema JSON, for following `$ref`s when cleaning up errors. */
  readonly root: object;
  readonly validate: ValidateFunction;
}

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, CompiledSchema>();

/** Compiles a shipped schema once per process. A broken schema is our packaging bug (ASSET_BROKEN). */
function schemaFromFile(file: string): CompiledSchema {
  const cached = compiled.get(file);
  if (cached !== undefined) return cached;
  // Formats are annotations only (as in policyengine.py's validator); strict mode catches our own schema
  // mistakes, except strictRequired, which would forbid `required` next to a `$ref` that defines the keys.
  ajv ??= new (ajvModule().Ajv2020)({ allErrors: true, verbose: true, strict: true, strictRequired: false, validateFormats: false, logger: false });
  let schema: unknown;
  try {
    schema = JSON.parse(readAssetText('shapes', file));
  } catch (e) {
    if (e instanceof PeTraceError) throw e;
    throw new PeTraceError('ASSET_BROKEN', `shipped schema shapes/${file} is not valid JSON`, { cause: e });
  }
  if (typeof schema !== 'object' || schema === null) throw new PeTraceError('ASSET_BROKEN', `shipped schema shapes/${file} is not a JSON object`);
  const id = '$id' in schema ? schema.$id : undefined;
  if (typeof id !== 'string') throw new PeTraceError('ASSET_BROKEN', `shipped schema shapes/${file} has no $id`);
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (e) {
    throw new PeTraceError('ASSET_BROKEN', `shipped schema shapes/${file} does not compile: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const entry: CompiledSchema = { id, root: schema, validate };
  compiled.set(file, entry);
  return entry;
}

function isObject(v: PlainJson | undefined): v is { [key: string]: PlainJson } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** pe-0.1 readers compare `@type` as an exact string; TROv 0.1 allows an array of types. */
function isTroNode(node: PlainJson | undefined, dialect: DialectId): boolean {
  if (!isObject(node)) return false;
  const type = node['@type'];
  if (type === TRO_TYPE) return true;
  return dialect !== 'pe-0.1' && Array.isArray(type) && type.includes(TRO_TYPE);
}

/** What the schema tolerates on purpose but a reader should hear about. */
function advisories(doc: PlainJson, dialect: DialectId): SchemaWarning[] {
  const warnings: SchemaWarning[] = [];
  if (!isObject(doc)) return warnings;
  const graph = doc['@graph'];
  if (!Array.isArray(graph)) return warnings;
  let first: number | undefined;
  graph.forEach((node, i) => {
    const pointer = jsonPointer(['@graph', i]);
    if (!isTroNode(node, dialect)) {
      warnings.push({
        pointer,
        message:
          dialect === 'pe-0.1'
            ? 'extra @graph node (not the TRO node): policyengine.py readers skip it, its own schema rejects it'
            : 'extra @graph node (not the TRO node): TROv 0.1 puts everything inside the one TRO node, and tro-utils reads only @graph[0]',
      });
      return;
    }
    if (first !== undefined) {
      warnings.push({ pointer, message: `another ${TRO_TYPE} node: readers use the first one, ${jsonPointer(['@graph', first])}` });
    } else {
      first = i;
    }
    if (dialect === 'pe-0.1' && isObject(node)) {
      const performance = node['trov:hasPerformance'];
      const emittedIn = isObject(performance) ? performance['pe:emittedIn'] : undefined;
      if (typeof emittedIn === 'string' && emittedIn !== '' && !KNOWN_EMITTED_IN.includes(emittedIn)) {
        warnings.push({
          pointer: jsonPointer(['@graph', i, 'trov:hasPerformance', 'pe:emittedIn']),
          message: `pe:emittedIn ${JSON.stringify(emittedIn)} is not a known emission context (${KNOWN_EMITTED_IN.join(', ')}); accepted as a free label`,
        });
      }
    }
  });
  return warnings;
}

/**
 * Validates a TRO document against the JSON Schema of its dialect (detected when not given; detection
 * raises TRO_UNKNOWN_DIALECT for a document that is no TRO). Findings are returned, never thrown:
 * `valid` is false when any error was found, warnings never affect it. A dialect without a schema
 * (the retired 2023/05 pre-release) yields `valid: false` with one error saying what to use instead.
 */
export function validateJsonSchema(doc: JsonValue, options: { label?: string; dialect?: DialectId } = {}): SchemaReport {
  const dialect = options.dialect ?? detectDialect(doc, options.label === undefined ? {} : { label: options.label }).id;
  const file = SCHEMA_FILES[dialect];
  if (file === null) {
    return {
      valid: false,
      dialect,
      schema: null,
      errors: [
        {
          pointer: '',
          keyword: 'dialect',
          message: `no JSON Schema for the retired ${dialect} dialect (namespace https://w3id.org/trace/2023/05/trov#); use shacl-validate, or convert it to trov-0.1 first`,
        },
      ],
      warnings: [],
    };
  }
  const build = dialect === 'pe-0.1' && isBuildTroDocument(doc);
  const schema = schemaFromFile(build ? BUILD_SCHEMA_FILE : file);
  const plain = toPlainJson(doc);
  const ok = schema.validate(plain);
  const errors = ok ? [] : describeAjvErrors(schema.validate.errors ?? [], schema.root);
  return { valid: errors.length === 0, dialect, ...(build ? { profile: 'build' as const } : {}), schema: schema.id, errors, warnings: advisories(plain, dialect) };
}
