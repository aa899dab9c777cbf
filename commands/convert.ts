// `pe-trace convert`: upgrades a pe-0.1, pe-0.1-hash or 2023/05 TRO (or normalises a 0.1 one) to a spec-conformant TROv 0.1 document, with a mapping report.
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import {
  EXIT,
  PeTraceError,
  convertTro,
  formatMappingReport,
  parseJson,
  readDocumentFile,
  toPlainJson,
  writeFileAtomic,
} from '../src/index.js';
import type { BaseSource, ConvertFinding, DialectId, MappingReport, PlainJson } from '../src/index.js';

interface ConvertResult {
  readonly file: string;
  /** Where the converted document was written, or null when it went to stdout. */
  readonly out: string | null;
  readonly from: DialectId;
  readonly to: 'trov-0.1';
  readonly base: string;
  readonly baseSource: BaseSource;
  readonly baseProblems: readonly string[];
  readonly fingerprint: string;
  /** False only with --allow-unverified: the claimed (non-matching) fingerprint was carried, so the output fails verify. */
  readonly fingerprintVerified: boolean;
  readonly original: { readonly sha256: string; readonly fingerprint?: string; readonly fingerprintMethod: string; readonly fingerprintStatus: string };
  /** sha256 of the converted document's bytes. */
  readonly sha256: string;
  readonly bytes: number;
  readonly report: MappingReport;
  readonly findings: readonly ConvertFinding[];
  /** The converted document itself, only when it was not written to a file. */
  readonly document?: PlainJson;
}

export default class Convert extends BaseCommand<ConvertResult> {
  static override summary = 'Convert a TRO to TROv 0.1 (pe-0.1, pe-0.1-hash and 2023/05 upgraded; 0.1 normalised).';
  static override description =
    'Lifts FILE to RDF, applies the dialect term map (vocab/term-map.ttl) with SPARQL CONSTRUCT queries ' +
    '(queries/construct-convert-*.rq) and frames the result as the TROv 0.1 JSON tree, written like tro-utils ' +
    '(sorted keys, indent 2, no trailing newline). Every node gets an @id, hashes become {trov:hashAlgorithm, ' +
    'trov:hashValue} objects, locations use trov:artifact/trov:path, systems and performances are Trusted*, ' +
    'performance links go through trov:ArrangementBinding nodes, trov:vocabularyVersion is "0.1" and the ' +
    'fingerprint is recomputed with the TROv rule; the original fingerprint, its method, the original dialect and ' +
    'the original file\'s sha256 are kept as pe: terms. A TRO whose own fingerprint does not match its artifact ' +
    'hashes (by its dialect\'s rule), or that has none, is refused (exit 4) so that conversion never turns a failing ' +
    'TRO into a passing one; --allow-unverified converts it carrying the claimed value, which still fails verify. Times without a zone are kept and reported. ' +
    '@base: --base, else the document\'s own @base, else the folder of its pe:selfUrl/pop:selfUrl, else a ' +
    'placeholder under pe-trace.invalid that is reported and can never be LINKABLE-TRO: pass --base with a host ' +
    'you control to reach LINKABLE-TRO. Without --out the document goes to stdout and the mapping report to stderr; ' +
    'with --out the report goes to stdout.';

  static override examples = [
    '<%= config.bin %> convert us.trace.tro.jsonld --to trov-0.1 --base https://policyengine.org/trace/tro/us-5.0.3/ --out us.trov.jsonld',
    '<%= config.bin %> convert tro.jsonld --to trov-0.1 --json',
  ];

  static override args = {
    file: Args.string({ description: 'The TRO to convert.', required: true }),
  };

  static override flags = {
    to: Flags.option({ options: ['trov-0.1'] as const, required: true, description: 'The target dialect.' })(),
    base: Flags.string({ description: 'The @base of the converted document: an http(s) URL ending in / under a host you control.' }),
    'allow-unverified': Flags.boolean({
      description:
        'Convert even when the claimed fingerprint does not match the artifact hashes by the document\'s own rule (refused by default, exit 4). ' +
        'The claimed value is carried, never recomputed, so the output still fails verify and shacl-validate.',
      default: false,
    }),
    'base-dir': Flags.string({ description: 'Folder the TRO\'s relative artifact locations resolve against (default: the TRO\'s folder); artifacts found there are rehashed, and a mismatch is refused like a fingerprint mismatch.' }),
    out: Flags.string({ description: 'Write the converted document to this file (parents created, atomic) instead of stdout.' }),
  };

  protected async exec(): Promise<Outcome<ConvertResult>> {
    const { args, flags } = await this.parse(Convert);
    const bytes = await readDocumentFile(args.file, { label: args.file });
    if (flags.out !== undefined && sameFile(args.file, flags.out)) {
      throw new PeTraceError('USAGE', `--out ${flags.out} is the input file: write the converted document elsewhere`);
    }
    const doc = parseJson(bytes, { label: args.file });
    const converted = await convertTro(doc, {
      label: args.file,
      bytes,
      to: flags.to,
      allowUnverified: flags['allow-unverified'],
      baseDir: flags['base-dir'] ?? dirname(args.file),
      ...(flags.base === undefined ? {} : { base: flags.base }),
    });
    if (flags.out !== undefined) await writeFileAtomic(flags.out, converted.bytes, { label: flags.out });
    const result: ConvertResult = {
      file: args.file,
      out: flags.out ?? null,
      from: converted.from,
      to: converted.to,
      base: converted.base,
      baseSource: converted.baseSource,
      baseProblems: converted.baseProblems,
      fingerprint: converted.fingerprint,
      fingerprintVerified: converted.fingerprintVerified,
      original: converted.original,
      sha256: converted.sha256,
      bytes: converted.bytes.length,
      report: converted.report,
      findings: converted.findings,
      ...(flags.out === undefined ? { document: toPlainJson(converted.document) } : {}),
    };
    const summary = [
      `converted ${args.file} from ${converted.from} to ${converted.to}${flags.out === undefined ? '' : ` -> ${flags.out}`}`,
      `@base: ${converted.base} (${converted.baseSource})`,
      `fingerprint: ${converted.fingerprint} (${converted.fingerprintVerified ? 'TROv 0.1' : 'claimed, UNVERIFIED: does not match'}); original ${converted.original.fingerprint ?? '(none)'} (${converted.original.fingerprintMethod}, ${converted.original.fingerprintStatus})`,
      ...formatMappingReport(converted.report),
    ];
    const warnings = converted.findings.map((f) => `${f.pointer === undefined ? '' : `${args.file}#${f.pointer}: `}${f.message}`);
    if (flags.out === undefined) return { status: EXIT.OK, result, bytes: converted.bytes, stderr: summary, warnings };
    return { status: EXIT.OK, result, text: summary, warnings };
  }
}

/** Whether two paths name the same existing file (a missing output cannot be the input). */
function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}
