// Validates a data release manifest three ways: policyengine.py's reading, our JSON Schema, and our SHACL shapes over the lifted graph.
import { lazyRequire } from '../lazy.js';

const ajvModule = lazyRequire<typeof import('ajv/dist/2020.js')>('ajv/dist/2020.js');
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { DataFactory, Parser, Store } from 'n3';
import type { Term } from '@rdfjs/types';
import type { Quad } from 'n3';
import { readAssetText } from '../assets.js';
import { PeTraceError } from '../errors.js';
import { isJsonObject, toPlainJson } from '../json/value.js';
import type { JsonValue } from '../json/value.js';
import { describeAjvErrors } from '../validate/report.js';
import type { SchemaIssue } from '../validate/report.js';
import { readDataReleaseManifest } from './data-release-manifest.js';
import { ManifestError } from './fields.js';
import type { ManifestFinding } from './fields.js';
import { liftDataReleaseManifest } from './lift-manifest.js';

export const DRM_SCHEMA_FILE = 'data-release-manifest.schema.json';
export const DRM_SHAPES_FILE = 'data-release-manifest.shape.ttl';

const SH = 'http://www.w3.org/ns/shacl#';

export type ShaclSeverity = 'violation' | 'warning' | 'info';

/** One SHACL result, with terms as strings (IRIs, blank node labels, literal values). */
export interface ShaclResult {
  readonly severity: ShaclSeverity;
  readonly focusNode: string;
  readonly path?: string;
  readonly value?: string;
  readonly message: string;
  readonly sourceShape?: string;
}

export interface DrmValidationReport {
  /** No error from the reading, the schema or a SHACL violation. Warnings and info do not count. */
  readonly conforms: boolean;
  /** policyengine.py's reading: errors (it would reject the manifest), plus ignored keys as info. */
  readonly reading: readonly ManifestFinding[];
  readonly schema: readonly SchemaIssue[];
  readonly shacl: readonly ShaclResult[];
}

let schemaValidator: ValidateFunction | undefined;
let schemaRoot: unknown;

function compiledSchema(): ValidateFunction {
  if (schemaValidator !== undefined) return schemaValidator;
  try {
    schemaRoot = JSON.parse(readAssetText('shapes', DRM_SCHEMA_FILE));
    const ajv = new (ajvModule().Ajv2020)({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, validateFormats: false, logger: false });
    schemaValidator = ajv.compile(schemaRoot as object);
  } catch (e) {
    if (e instanceof PeTraceError) throw e;
    throw new PeTraceError('ASSET_BROKEN', `shipped schema shapes/${DRM_SCHEMA_FILE} is broken: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return schemaValidator;
}

/** Our JSON Schema for the manifest (structure only; certification rules live in certify-rules.ts). */
export function validateDrmSchema(doc: JsonValue): SchemaIssue[] {
  const validate = compiledSchema();
  if (validate(toPlainJson(doc))) return [];
  return describeAjvErrors(validate.errors ?? [], schemaRoot);
}

let shapes: Store | undefined;

function shapesStore(): Store {
  if (shapes !== undefined) return shapes;
  try {
    const store = new Store();
    store.addQuads(new Parser({ format: 'text/turtle' }).parse(readAssetText('shapes', DRM_SHAPES_FILE)));
    shapes = store;
  } catch (e) {
    if (e instanceof PeTraceError) throw e;
    throw new PeTraceError('ASSET_BROKEN', `shipped shapes/${DRM_SHAPES_FILE} does not parse: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return shapes;
}

function severityOf(term: Term | undefined): ShaclSeverity {
  if (term?.value === `${SH}Warning`) return 'warning';
  if (term?.value === `${SH}Info`) return 'info';
  return 'violation';
}

function termText(t: Term | undefined): string | undefined {
  if (t === undefined || t === null) return undefined;
  return t.termType === 'BlankNode' ? `_:${t.value}` : t.value;
}

/** Runs the shipped shapes over lifted manifest quads (any graph: quads are validated as one default graph). */
export async function validateDrmShapes(quads: readonly Quad[]): Promise<ShaclResult[]> {
  const data = new Store();
  // SHACL validates the default graph: move the lifted named graph there.
  data.addQuads(quads.map((q) => DataFactory.quad(q.subject, q.predicate, q.object, DataFactory.defaultGraph())));
  // Imported here, not at the top: rdf-validate-shacl is ESM and slow to load, and only certify needs it.
  const { default: SHACLValidator } = await import('rdf-validate-shacl');
  const validator = new SHACLValidator(shapesStore());
  const report = await validator.validate(data);
  const out: ShaclResult[] = report.results.map((r) => {
    const messages = r.message.map((m) => m.value);
    const path = termText(r.path ?? undefined);
    const value = termText(r.value ?? undefined);
    // Blank property shapes get parser-generated labels: only named shapes are worth reporting.
    const shape = r.sourceShape?.termType === 'NamedNode' ? r.sourceShape.value : undefined;
    const component = termText(r.sourceConstraintComponent ?? undefined)?.replace(SH, 'sh:') ?? 'a constraint';
    return {
      severity: severityOf(r.severity),
      focusNode: termText(r.focusNode) ?? '',
      ...(path === undefined ? {} : { path }),
      ...(value === undefined ? {} : { value }),
      message: messages.length > 0 ? messages.join('; ') : `fails ${component}`,
      ...(shape === undefined ? {} : { sourceShape: shape }),
    };
  });
  // Deterministic order: by severity, focus node, path, message.
  const rank: Record<ShaclSeverity, number> = { violation: 0, warning: 1, info: 2 };
  return out.sort((a, b) => rank[a.severity] - rank[b.severity] || cmp(a.focusNode, b.focusNode) || cmp(a.path ?? '', b.path ?? '') || cmp(a.message, b.message));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Everything pe-trace can say about a data release manifest: how policyengine.py would read it, whether it
 * fits our schema, and whether its lifted graph conforms to our shapes. Returned as a report, never thrown.
 */
export async function validateDataReleaseManifest(doc: JsonValue, options: { label?: string; base?: string } = {}): Promise<DrmValidationReport> {
  const label = options.label ?? '<data release manifest>';
  let reading: ManifestFinding[];
  try {
    reading = [...readDataReleaseManifest(doc, { label }).findings];
  } catch (e) {
    if (!(e instanceof ManifestError)) throw e;
    reading = [...e.problems];
  }
  const schema = validateDrmSchema(doc);
  // A document that is not an object has no graph to check; the reading already says why.
  const shacl = isJsonObject(doc)
    ? await validateDrmShapes((await liftDataReleaseManifest(doc, { label, ...(options.base === undefined ? {} : { base: options.base }) })).quads)
    : [];
  const conforms = !reading.some((f) => f.severity === 'error') && schema.length === 0 && !shacl.some((r) => r.severity === 'violation');
  return { conforms, reading, schema, shacl };
}
