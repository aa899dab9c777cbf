// `pe-trace shacl-validate`: SHACL shapes plus pe-trace's integrity checks over TRO files, one document at a time.
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import {
  EXIT,
  type ExitCode,
  SHACL_PROFILES,
  type DocumentShaclReport,
  type ShaclDocumentJson,
  type ShaclEngineName,
  type ShaclProfile,
  formatShaclText,
  isPeTraceError,
  reportJsonLd,
  reportTurtle,
  shaclDocumentJson,
  shaclValidateFile,
} from '../src/index.js';

const FORMATS = ['text', 'turtle', 'jsonld', 'json'] as const;
type Format = (typeof FORMATS)[number];
const ENGINES: readonly ShaclEngineName[] = ['pe-trace', 'rdf-validate-shacl'];

interface ShaclValidateResult {
  /** True when every file was read and conforms. */
  readonly conforms: boolean;
  readonly documents: readonly ShaclDocumentJson[];
  /** Files that could not be validated at all (unreadable, not JSON, not a TRO). */
  readonly errors: readonly { readonly file: string; readonly code: string; readonly message: string }[];
}

export default class ShaclValidate extends BaseCommand<ShaclValidateResult> {
  static override summary = 'Validate TRO files with SHACL shapes and integrity checks (fingerprint, references, locations, warrant chain).';
  static override description =
    'Each FILE is read, its dialect detected (pe-0.1, pe-0.1-hash, trov-0.1, trov-2023-05), lifted to RDF and validated on its own ' +
    '(shapes are compiled once; memory stays flat over many files) against the shapes graphs of the profile, plus four checks done ' +
    'in code and reported as SHACL results of pe-trace components: the composition fingerprint recomputed ' +
    '(ptc:FingerprintConstraintComponent; the TROv rule under the TROv profiles, PolicyEngine\'s newline rule under pe-0.1, otherwise ' +
    'the dialect\'s), every referenced @id defined (ptc:ReferenceDefinedConstraintComponent), every ' +
    'arrangement artifact in the composition (ptc:LocationInCompositionConstraintComponent), and the warrant chain resolved and typed ' +
    '(ptc:WarrantChainConstraintComponent).\n\n' +
    'Profiles: trov-0.1 (the TROv 0.1 shapes alone: the verdict of the specification), pe-0.1 (PolicyEngine\'s dialect plus the pe:/pop: ' +
    'extension shapes), trov-2023-05 (the retired pre-release vocabulary), bundle / run / build (the dialect\'s shapes, the extension ' +
    'shapes and what that kind of PolicyEngine TRO must carry), auto (the default: by dialect, with the kind guessed from the content).\n\n' +
    'Output: --format text (grouped by document and focus node, named by the document\'s own @ids), turtle or jsonld (W3C ' +
    'sh:ValidationReport, one per document), json (pe-trace\'s own). Exit 0 when every file conforms, 4 when any does not, 3 when any ' +
    'file could not be read, parsed or recognised as a TRO (the other files are still validated).';

  static override examples = [
    '<%= config.bin %> shacl-validate fixtures/policyengine-py/shipped/us.trace.tro.jsonld',
    '<%= config.bin %> shacl-validate tro.jsonld --profile trov-0.1',
    '<%= config.bin %> shacl-validate data/*.trace.tro.jsonld --format turtle > report.ttl',
  ];

  static override strict = false;

  static override args = {
    file: Args.string({ description: 'TRO JSON-LD file(s) to validate.', required: true }),
  };

  static override flags = {
    profile: Flags.string({ description: 'Shapes to apply.', options: [...SHACL_PROFILES], default: 'auto' }),
    format: Flags.string({ description: 'Output format.', options: [...FORMATS], default: 'text' }),
    engine: Flags.string({
      description: 'SHACL engine: pe-trace\'s compiled core engine, or rdf-validate-shacl (slower; same results on the shipped shapes).',
      options: [...ENGINES],
      default: 'pe-trace',
    }),
  };

  protected async exec(): Promise<Outcome<ShaclValidateResult>> {
    const { argv, flags } = await this.parse(ShaclValidate);
    const files = argv.filter((a): a is string => typeof a === 'string');
    const profile = flags.profile as ShaclProfile;
    const format = flags.format as Format;
    const engine = flags.engine as ShaclEngineName;

    const reports: DocumentShaclReport[] = [];
    const errors: { file: string; code: string; message: string }[] = [];
    const warnings: string[] = [];
    for (const file of files) {
      try {
        const report = await shaclValidateFile(file, { profile, engine });
        reports.push(report);
        warnings.push(...report.warnings);
      } catch (e) {
        // Bad input (exit 3) is reported per file so the other files are still validated; anything else is ours.
        if (!isPeTraceError(e) || e.exitCode !== EXIT.BAD_INPUT) throw e;
        errors.push({ file, code: e.code, message: e.message });
      }
    }

    // An unreadable file says nothing about conformance, so it outranks "not conforming": the run is incomplete.
    const status: ExitCode = errors.length > 0 ? EXIT.BAD_INPUT : reports.some((r) => !r.conforms) ? EXIT.NOT_CONFORMING : EXIT.OK;
    const result: ShaclValidateResult = { conforms: status === EXIT.OK, documents: reports.map(shaclDocumentJson), errors };
    const stderr = errors.map((e) => `error: ${e.message}`);
    const named = reports.map((r) => ({ ...r, file: r.file, graph: r.graph }));
    switch (format) {
      case 'turtle':
        return { status, result, bytes: new TextEncoder().encode(reportTurtle(named)), stderr, warnings };
      case 'jsonld':
        return { status, result, bytes: new TextEncoder().encode(`${JSON.stringify(reportJsonLd(named), null, 2)}\n`), stderr, warnings };
      case 'json':
        return { status, result, bytes: new TextEncoder().encode(`${JSON.stringify(result, null, 2)}\n`), stderr, warnings };
      default:
        return { status, result, text: formatShaclText(reports), stderr, warnings };
    }
  }
}
