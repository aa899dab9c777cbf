// The SHACL engine wrapper: shapes parsed and compiled once, then validateShapes() per data graph, either engine.
import type { BlankNode, DatasetCore, Quad, Term } from '@rdfjs/types';
import { DataFactory, Parser, Store } from 'n3';
import type { Quad as N3Quad } from 'n3';
import type SHACLValidator from 'rdf-validate-shacl';
import { InputError } from '../errors.js';
import { CoreShapes, UnsupportedShapesError } from './core-engine.js';
import { DataIndex } from './data-index.js';
import { SH } from './namespaces.js';
import type { ShaclReport, ShaclValidationResult, ShaclResultSeverity } from './report.js';
import { ShapesGraphError, ShapesIndex } from './shapes-index.js';

/**
 * `pe-trace`: our compiled SHACL Core engine (the default; ~0.1 ms per TRO).
 * `rdf-validate-shacl`: Zazuko's engine (complete SHACL Core, 14–30 ms per TRO with our shapes).
 */
export type ShaclEngineName = 'pe-trace' | 'rdf-validate-shacl';

/** One Turtle shapes document; `name` labels parse errors and prefixes its blank nodes (stable labels). */
export interface ShapesSource {
  readonly name: string;
  readonly text: string;
}

/** A shapes graph parsed and compiled once, reusable for any number of validations. */
export interface CompiledShapes {
  /** The names of the sources, in order. */
  readonly names: readonly string[];
  readonly index: ShapesIndex;
  /** The engine that will run (the core engine falls back to rdf-validate-shacl on shapes it cannot compile). */
  readonly engine: ShaclEngineName;
  /** Why the requested engine was not used, when it was not. */
  readonly fallback?: string;
  /** @internal */
  readonly core?: CoreShapes;
  /** @internal */
  readonly zazuko?: SHACLValidator;
}

/** Parses Turtle shapes; a syntax error is an InputError RDF_PARSE naming the source and line. */
export function parseShapes(sources: readonly ShapesSource[]): Quad[] {
  const quads: Quad[] = [];
  for (const source of sources) {
    const stem = source.name.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9]+/g, '_');
    try {
      quads.push(...relabelBlankNodes(new Parser({ format: 'text/turtle' }).parse(source.text), stem));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const line = /line (\d+)/.exec(message)?.[1];
      throw new InputError('RDF_PARSE', `invalid Turtle: ${message.replace(/\s+/g, ' ')}`, {
        location: { file: source.name, ...(line === undefined ? {} : { line: Number(line) }) },
      });
    }
  }
  return quads;
}

/**
 * N3.js numbers anonymous blank nodes with a process-wide counter, so the same file parsed twice gets different
 * labels. Shapes' blank nodes appear in reports (sh:sourceShape), so label them by file and position instead.
 */
function relabelBlankNodes(quads: readonly Quad[], stem: string): Quad[] {
  const labels = new Map<string, BlankNode>();
  const relabel = <T extends Term>(t: T): T | BlankNode => {
    if (t.termType !== 'BlankNode') return t;
    let b = labels.get(t.value);
    if (b === undefined) labels.set(t.value, (b = DataFactory.blankNode(`${stem}_${labels.size}`)));
    return b;
  };
  return quads.map((q) =>
    DataFactory.quad(
      relabel(q.subject) as N3Quad['subject'],
      q.predicate as N3Quad['predicate'],
      relabel(q.object) as N3Quad['object'],
      q.graph as N3Quad['graph'],
    ),
  );
}

/**
 * rdf-validate-shacl is imported only when it runs: loading it costs ~150 ms, which every command would pay
 * through the library barrel otherwise.
 */
async function zazukoValidator(quads: readonly Quad[]): Promise<SHACLValidator> {
  const { default: Validator } = await import('rdf-validate-shacl');
  return new Validator(new Store([...quads]));
}

/** Parses and compiles shapes for the chosen engine (default: pe-trace's core engine). */
export async function compileShapes(sources: readonly ShapesSource[], options: { engine?: ShaclEngineName } = {}): Promise<CompiledShapes> {
  const quads = parseShapes(sources);
  const index = new ShapesIndex(quads);
  const names = sources.map((s) => s.name);
  const wanted = options.engine ?? 'pe-trace';
  if (wanted === 'pe-trace') {
    try {
      return { names, index, engine: 'pe-trace', core: new CoreShapes(index) };
    } catch (e) {
      if (e instanceof ShapesGraphError) throw new InputError('RDF_PARSE', `malformed shapes graph: ${e.message}`, { location: { file: names.join(', ') } });
      if (!(e instanceof UnsupportedShapesError)) throw e;
      return { names, index, engine: 'rdf-validate-shacl', fallback: e.message, zazuko: await zazukoValidator(quads) };
    }
  }
  return { names, index, engine: 'rdf-validate-shacl', zazuko: await zazukoValidator(quads) };
}

/**
 * Validates one data graph (all its named graphs merged, as the lifted TROs keep each document in a graph of
 * its own) against compiled shapes. Results are sorted (focus node, path, component, value, message) so the
 * same data always gives the same report, whichever engine ran.
 */
export function validateShapes(data: DatasetCore, shapes: CompiledShapes): ShaclReport {
  const results = shapes.core !== undefined ? shapes.core.validate(DataIndex.fromDataset(data)) : runZazuko(shapes, data);
  results.sort(compareResults);
  return { conforms: results.length === 0, results };
}

function runZazuko(shapes: CompiledShapes, data: DatasetCore): ShaclValidationResult[] {
  const validator = shapes.zazuko;
  if (validator === undefined) throw new Error('compiled shapes carry no engine');
  // The public validate() is async only to resolve owl:imports, which our shapes never use: run the engine
  // synchronously on the data graph (the validator and its compiled shapes are reused across documents).
  validator.$data = validator.factory.clownface({ dataset: data });
  validator.validationEngine.validateAll(validator.$data);
  const report = validator.validationEngine.getReport();
  return report.results.map((r): ShaclValidationResult => {
    const path = r.path as Term | null | undefined;
    const value = r.value as Term | null | undefined;
    const shape = r.sourceShape as Term | null | undefined;
    return {
      focusNode: r.focusNode,
      ...(path === null || path === undefined ? {} : { resultPath: shapes.index.path(path) }),
      ...(value === null || value === undefined ? {} : { value }),
      severity: severityName(r.severity),
      sourceConstraintComponent: r.sourceConstraintComponent.value,
      ...(shape === null || shape === undefined ? {} : { sourceShape: shape }),
      messages: r.message.map((m) => m.value),
    };
  });
}

function severityName(t: Term | undefined): ShaclResultSeverity {
  if (t?.value === `${SH}Warning`) return 'Warning';
  if (t?.value === `${SH}Info`) return 'Info';
  return 'Violation';
}

const KIND_ORDER: Readonly<Record<string, number>> = { NamedNode: 0, BlankNode: 1, Literal: 2 };

function termOrder(a: Term | undefined, b: Term | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return (KIND_ORDER[a.termType] ?? 3) - (KIND_ORDER[b.termType] ?? 3) || cmp(a.value, b.value);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareResults(a: ShaclValidationResult, b: ShaclValidationResult): number {
  return (
    termOrder(a.focusNode, b.focusNode) ||
    cmp(JSON.stringify(a.resultPath ?? null), JSON.stringify(b.resultPath ?? null)) ||
    cmp(a.sourceConstraintComponent, b.sourceConstraintComponent) ||
    termOrder(a.value, b.value) ||
    cmp(a.messages.join('\n'), b.messages.join('\n'))
  );
}
