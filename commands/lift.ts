// `pe-trace lift`: lifts JSON-LD files to RDF (one named graph per document) and writes N-Quads, TriG, Turtle, N-Triples or JSON-LD.
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import {
  EXIT,
  InputError,
  PeTraceError,
  addLifted,
  createStore,
  detectDialect,
  liftJsonLd,
  parseJson,
  readDocumentFile,
  toJsonLd,
  toNQuads,
  toNTriples,
  toTrig,
  toTurtle,
} from '../src/index.js';
import type { DialectId, JsonValue } from '../src/index.js';

interface LiftedFile {
  /** The path as given. */
  readonly file: string;
  /** The TRO dialect, or null when the document is not a TRO (it is lifted all the same). */
  readonly dialect: DialectId | null;
  /** The named graph holding the document's triples. */
  readonly graph: string;
  readonly quads: number;
}

interface LiftResult {
  readonly documents: readonly LiftedFile[];
  /** Distinct quads in the merged store. */
  readonly quads: number;
}

export default class Lift extends BaseCommand<LiftResult> {
  static override summary = 'Lift JSON-LD files (TROs or any JSON-LD) to RDF, one named graph per document.';
  static override description =
    'Reads each FILE losslessly, expands it offline (a remote @context is refused, never fetched) and merges ' +
    'all documents into one store, each in its own named graph. Relative @ids resolve against a per-document ' +
    'base derived from the file content, https://pe-trace.invalid/doc/<sha256 of the bytes>/, so documents ' +
    'never collide and the output does not depend on paths; a document\'s own @base wins. --format: nquads (nq, the ' +
    'default) and trig keep every document in its named graph; jsonld writes expanded, flattened JSON-LD with one ' +
    '{"@id": graph, "@graph": […]} per document; turtle (ttl) and ntriples (nt) have no graphs, so they take exactly one ' +
    'document and drop its graph name: several FILEs with them are a usage error (exit 2), never TriG under the Turtle ' +
    'name (use trig, or lift each file on its own). With --json, prints per-document graphs and quad counts instead.';

  static override examples = [
    '<%= config.bin %> lift fixtures/policyengine-py/shipped/us.trace.tro.jsonld',
    '<%= config.bin %> lift tro.jsonld --format ttl',
    '<%= config.bin %> lift a.jsonld b.jsonld --format trig',
    '<%= config.bin %> lift tro.jsonld --base https://example.org/tro/1/ --json',
  ];

  static override strict = false;

  static override args = {
    file: Args.string({ description: 'JSON-LD file(s) to lift.', required: true }),
  };

  static override flags = {
    format: Flags.option({
      options: ['nquads', 'nq', 'trig', 'turtle', 'ttl', 'ntriples', 'nt', 'jsonld'] as const,
      default: 'nquads' as const,
      description: 'nquads|nq (all graphs), trig (all graphs), jsonld (all graphs, expanded), turtle|ttl or ntriples|nt (one FILE only: no graphs).',
    })(),
    base: Flags.string({ description: 'Base IRI (and graph name) for the document; only with a single FILE.' }),
  };

  protected async exec(): Promise<Outcome<LiftResult>> {
    const { argv, flags } = await this.parse(Lift);
    const files = argv.filter((a): a is string => typeof a === 'string');
    if (flags.base !== undefined) {
      if (files.length !== 1) throw new PeTraceError('USAGE', `--base applies to a single FILE (got ${files.length}); without it each file gets a content-derived base`);
      if (!isAbsoluteIri(flags.base)) throw new PeTraceError('USAGE', `--base must be an absolute IRI (got ${JSON.stringify(flags.base)})`);
    }
    const format = FORMAT_NAMES[flags.format];
    if ((format === 'turtle' || format === 'ntriples') && files.length > 1) {
      throw new PeTraceError('USAGE', `--format ${flags.format} holds one graph and ${files.length} files make ${files.length}: use --format trig, nquads or jsonld, or lift each file on its own`);
    }
    const store = createStore();
    const documents: LiftedFile[] = [];
    const warnings: string[] = [];
    const prefixes: Record<string, string> = {};
    for (const file of files) {
      const bytes = await readDocumentFile(file, { label: file });
      const json = parseJson(bytes, { label: file });
      const dialect = dialectOrNull(json, file);
      const lifted = await liftJsonLd(json, { label: file, bytes, ...(flags.base === undefined ? {} : { base: flags.base }) });
      addLifted(store, lifted);
      documents.push({ file, dialect, graph: lifted.graph, quads: lifted.quads.length });
      warnings.push(...lifted.warnings);
      // First declaration wins, so a prefix never silently changes meaning half-way through the output.
      for (const [p, iri] of Object.entries(lifted.prefixes)) if (!(p in prefixes) && !Object.values(prefixes).includes(iri)) prefixes[p] = iri;
    }
    const quads = store.getQuads(null, null, null, null);
    const text =
      format === 'nquads' ? toNQuads(quads) : format === 'trig' ? toTrig(quads, prefixes) : format === 'turtle' ? toTurtle(quads, prefixes) : format === 'ntriples' ? toNTriples(quads) : toJsonLd(quads);
    return {
      status: EXIT.OK,
      result: { documents, quads: store.size },
      bytes: new TextEncoder().encode(text),
      warnings,
    };
  }
}

/** Every --format name (short names included) and the format it names. */
const FORMAT_NAMES = {
  nquads: 'nquads',
  nq: 'nquads',
  trig: 'trig',
  turtle: 'turtle',
  ttl: 'turtle',
  ntriples: 'ntriples',
  nt: 'ntriples',
  jsonld: 'jsonld',
} as const;

/** The TRO dialect, or null for JSON-LD that is not a TRO; other errors (e.g. a remote context) propagate. */
function dialectOrNull(json: JsonValue, label: string): DialectId | null {
  try {
    return detectDialect(json, { label }).id;
  } catch (e) {
    if (e instanceof InputError && e.code === 'TRO_UNKNOWN_DIALECT') return null;
    throw e;
  }
}

function isAbsoluteIri(s: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s)) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}
