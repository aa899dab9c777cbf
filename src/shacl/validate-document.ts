// shacl-validate for one document: parse, detect the dialect, lift, run the profile's shapes and the code checks.
import { Store } from 'n3';
import type { Quad } from 'n3';
import { isPeTraceError } from '../errors.js';
import { readDocumentFile } from '../io/read-file.js';
import { parseJson } from '../json/parse.js';
import { liftJsonLd } from '../rdf/lift.js';
import { detectDialect } from '../tro/dialect.js';
import type { Dialect, DialectId, TroModel } from '../tro/model.js';
import { readTroModel } from '../tro/read.js';
import { DataIndex } from './data-index.js';
import { NodeNamer, definitionPointers } from './display.js';
import { type ShaclEngineName, compareResults, validateShapes } from './engine.js';
import { integrityChecks } from './integrity.js';
import { compactIri } from './namespaces.js';
import { type ShaclProfile, type ShapesGraphName, type TroKind, fingerprintRules, guessTroKind, loadShapesGraphs, shapesGraphsFor } from './profiles.js';
import { type ShaclReport, type ShaclValidationResult, formatPath } from './report.js';

export interface ShaclValidateOptions {
  /** How the document is named in messages. */
  readonly label?: string;
  /** Default `auto`. */
  readonly profile?: ShaclProfile;
  /** Default `pe-trace` (the compiled core engine). */
  readonly engine?: ShaclEngineName;
}

/** How a result is shown to a person: the document's own names for the terms. */
export interface ResultDisplay {
  readonly focus: string;
  /** JSON pointer of the object that defines the focus node, when it has an @id. */
  readonly pointer?: string;
  readonly path?: string;
  readonly value?: string;
  /** `sh:MinCountConstraintComponent`, `ptc:FingerprintConstraintComponent`, … */
  readonly component: string;
  readonly shape?: string;
}

export interface DocumentResult extends ShaclValidationResult {
  readonly display: ResultDisplay;
}

/** One document's verdict: a W3C report (conforms + results) plus what was applied and why. */
export interface DocumentShaclReport extends ShaclReport {
  readonly file: string;
  readonly dialect: DialectId;
  readonly profile: ShaclProfile;
  /** The kind of PolicyEngine TRO the profile applied (guessed under `auto`). */
  readonly kind?: TroKind;
  readonly shapesGraphs: readonly ShapesGraphName[];
  readonly engine: ShaclEngineName;
  /** The named graph (and default base) pe-trace lifted the document into. */
  readonly graph: string;
  /** The document's own `@base`, when it sets one. */
  readonly documentBase?: string | null;
  readonly results: readonly DocumentResult[];
  /** What the JSON-LD lift dropped or noticed (unmapped keys, own @base), and reader findings. */
  readonly warnings: readonly string[];
}

/**
 * Validates one TRO document. Bad input (not JSON, not a TRO of any dialect, broken JSON-LD) throws an
 * InputError; a TRO that breaks its shapes is a report with `conforms: false`. Nothing is kept between calls
 * except the compiled shapes, so memory stays flat over many documents.
 */
export async function shaclValidateDocument(bytes: Uint8Array, options: ShaclValidateOptions = {}): Promise<DocumentShaclReport> {
  const label = options.label ?? '<input>';
  const profile = options.profile ?? 'auto';
  const doc = parseJson(bytes, { label });
  let model: TroModel | undefined;
  let dialect: Dialect;
  try {
    model = readTroModel(doc, { label });
    dialect = model.dialect;
  } catch (e) {
    // A TRO without a composition still gets its SHACL verdict (the shapes say what is missing).
    if (!isPeTraceError(e) || e.code !== 'TRO_MALFORMED') throw e;
    dialect = detectDialect(doc, { label });
  }
  // The namer and integrity checks below resolve against the document's own @base too: no warning that it has one.
  const lifted = await liftJsonLd(doc, { label, bytes, ownBaseExpected: true });
  const quads = lifted.quads as readonly Quad[];
  const index = new DataIndex(quads);
  const kind = profile === 'bundle' || profile === 'run' || profile === 'build' ? profile : profile === 'auto' && dialect.id !== 'trov-2023-05' ? guessTroKind(index) : undefined;
  const shapesGraphs = shapesGraphsFor(profile, dialect.id, kind);
  const shapes = await loadShapesGraphs(shapesGraphs, options.engine === undefined ? {} : { engine: options.engine });

  const documentBase = typeof lifted.documentBase === 'string' ? lifted.documentBase : lifted.base;
  const namer = new NodeNamer({
    index,
    bases: documentBase === lifted.base ? [lifted.base] : [documentBase, lifted.base],
    prefixes: lifted.prefixes,
    pointers: () => definitionPointers(doc, documentBase),
  });
  // The core engine reads the index directly; rdf-validate-shacl needs an RDF/JS dataset.
  const shaclResults = shapes.core !== undefined ? shapes.core.validate(index) : validateShapes(new Store([...quads]), shapes).results;
  const integrity = await integrityChecks({
    quads,
    index,
    trovNamespace: dialect.trovNamespace,
    documentBase,
    ...(model === undefined ? {} : { model }),
    fingerprintRules: fingerprintRules(profile, dialect.id),
    name: (t) => namer.name(t),
  });
  const results = [...shaclResults, ...integrity].sort(compareResults).map((r) => withDisplay(r, namer));
  return {
    file: label,
    dialect: dialect.id,
    profile,
    ...(kind === undefined ? {} : { kind }),
    shapesGraphs,
    engine: shapes.engine,
    graph: lifted.graph,
    ...(lifted.documentBase === undefined ? {} : { documentBase: lifted.documentBase }),
    conforms: results.length === 0,
    results,
    warnings: [...lifted.warnings, ...(model?.findings ?? []).map((f) => `${label}#${f.pointer}: ${f.message}`)],
  };
}

/** Reads a file (coded errors for missing/unreadable/too big) and validates it. */
export async function shaclValidateFile(path: string, options: ShaclValidateOptions = {}): Promise<DocumentShaclReport> {
  const label = options.label ?? path;
  const bytes = await readDocumentFile(path, { label });
  return shaclValidateDocument(bytes, { ...options, label });
}

function withDisplay(r: ShaclValidationResult, namer: NodeNamer): DocumentResult {
  const pointer = namer.pointer(r.focusNode);
  const shape = r.sourceShape === undefined ? undefined : r.sourceShape.termType === 'NamedNode' ? compactIri(r.sourceShape.value) : `_:${r.sourceShape.value}`;
  return {
    ...r,
    display: {
      focus: namer.name(r.focusNode),
      ...(pointer === undefined ? {} : { pointer }),
      ...(r.resultPath === undefined ? {} : { path: formatPath(r.resultPath, (iri) => namer.iri(iri)) }),
      ...(r.value === undefined ? {} : { value: namer.name(r.value) }),
      component: compactIri(r.sourceConstraintComponent),
      ...(shape === undefined ? {} : { shape }),
    },
  };
}
