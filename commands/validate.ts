// `pe-trace validate`: checks the JSON structure of TRO files against the JSON Schema of each one's dialect.
import { Args } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import { EXIT, type ExitCode, detectDialect, isPeTraceError, parseJson, readDocumentFile, validateJsonSchema } from '../src/index.js';
import type { DialectId, SchemaIssue, SchemaWarning } from '../src/index.js';

interface ValidatedDocument {
  readonly file: string;
  /** null when the file could not be read, parsed or recognised as a TRO. */
  readonly dialect: DialectId | null;
  /** `build` for a data build TRO (pop: namespace), checked against the build schema. */
  readonly profile?: 'build';
  readonly valid: boolean;
  /** The `$id` of the schema applied (null when none was). */
  readonly schema: string | null;
  readonly errors: readonly SchemaIssue[];
  readonly warnings: readonly SchemaWarning[];
  /** Why the file was not validated at all (unreadable, not JSON, not a TRO). */
  readonly error?: { readonly code: string; readonly message: string };
}

interface ValidateResult {
  /** True when every file was read and is structurally valid. */
  readonly valid: boolean;
  readonly documents: readonly ValidatedDocument[];
}

export default class Validate extends BaseCommand<ValidateResult> {
  static override summary = 'Check TRO files against the JSON Schema of their dialect (structure only).';
  static override description =
    'For each FILE: read it losslessly, detect its dialect (pe-0.1, pe-0.1-hash, trov-0.1, trov-2023-05) and ' +
    'validate it with the shipped JSON Schema (shapes/pe-0.1.tro.schema.json, shapes/trov-0.1.tro.schema.json). ' +
    'A data build TRO (populace/microcosm, `emit build`: pe-0.1 spellings with a pop: namespace in its @context and no ' +
    'pe:) is detected automatically and checked against shapes/pe-0.1-build.tro.schema.json; it prints as "(pe-0.1 build)". ' +
    'Prints "ok: FILE (dialect)" or "invalid: FILE (dialect)" followed by one "  - POINTER: message" line per ' +
    'defect; tolerated oddities (extra @graph nodes, an unknown pe:emittedIn) are "  warning:" lines. ' +
    'Hashes are not checked here: use verify. The retired 2023/05 dialect has no schema and is reported invalid. ' +
    'Exit 0 when every file is valid, 4 when any is invalid, 3 when any file could not be read, parsed or ' +
    'recognised as a TRO (the other files are still validated and reported).';

  static override examples = [
    '<%= config.bin %> validate fixtures/policyengine-py/shipped/us.trace.tro.jsonld',
    '<%= config.bin %> validate data/bundle/*.trace.tro.jsonld --json',
  ];

  static override strict = false;

  static override args = {
    file: Args.string({ description: 'TRO JSON-LD file(s) to validate.', required: true }),
  };

  protected async exec(): Promise<Outcome<ValidateResult>> {
    const { argv } = await this.parse(Validate);
    const files = argv.filter((a): a is string => typeof a === 'string');
    const documents: ValidatedDocument[] = [];
    for (const file of files) documents.push(await validateFile(file));

    const text: string[] = [];
    const stderr: string[] = [];
    for (const d of documents) {
      if (d.error !== undefined) {
        stderr.push(`error: ${d.error.message}`);
        continue;
      }
      text.push(`${d.valid ? 'ok' : 'invalid'}: ${d.file} (${d.dialect ?? 'unknown'}${d.profile === undefined ? '' : ` ${d.profile}`})`);
      for (const e of d.errors) text.push(`  - ${shownPointer(e.pointer)}: ${e.message}`);
      for (const w of d.warnings) text.push(`  warning: ${shownPointer(w.pointer)}: ${w.message}`);
    }
    // An unreadable file says nothing about validity, so it outranks "invalid": the run is incomplete.
    const status: ExitCode = documents.some((d) => d.error !== undefined)
      ? EXIT.BAD_INPUT
      : documents.some((d) => !d.valid)
        ? EXIT.NOT_CONFORMING
        : EXIT.OK;
    return { status, result: { valid: status === EXIT.OK, documents }, text, stderr };
  }
}

/** The root pointer is the empty string; show it as "/" would be wrong (that names the key ""), so name it. */
function shownPointer(pointer: string): string {
  return pointer === '' ? '(document)' : pointer;
}

async function validateFile(file: string): Promise<ValidatedDocument> {
  try {
    const bytes = await readDocumentFile(file, { label: file });
    const doc = parseJson(bytes, { label: file });
    const dialect = detectDialect(doc, { label: file });
    const report = validateJsonSchema(doc, { label: file, dialect: dialect.id });
    return { file, dialect: report.dialect, ...(report.profile === undefined ? {} : { profile: report.profile }), valid: report.valid, schema: report.schema, errors: report.errors, warnings: report.warnings };
  } catch (e) {
    // Bad input (exit 3) is reported per file so the other files still get validated; anything else is ours.
    if (!isPeTraceError(e) || e.exitCode !== EXIT.BAD_INPUT) throw e;
    return { file, dialect: null, valid: false, schema: null, errors: [], warnings: [], error: { code: e.code, message: e.message } };
  }
}
