// `pe-trace diff A B`: what changed between two records, as rules, data, reform, inputs, results, runtime or metadata.
import { Args } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import { displayPath } from '../src/cli/paths.js';
import { EXIT, type ExitCode } from '../src/errors.js';
import { diffRecords, formatDiffText, type RecordDiff } from '../src/diff/index.js';
import { loadRecord } from '../src/summary/index.js';

/**
 * Exit 1 when the records differ in substance: the convention of diff(1) and cmp(1), so scripts can write
 * `pe-trace diff a b || echo moved`. It is the one command where 1 does not mean "internal error".
 */
export const DIFF_DIFFERS: ExitCode = EXIT.INTERNAL;

export default class Diff extends BaseCommand<RecordDiff> {
  static override summary = 'Say what changed between two records: rules, data, reform, inputs, results, runtime or metadata.';
  static override description = [
    'Compares two TROs, two run record folders, or two bundle manifests and classifies every difference.',
    'Run records are compared through their bundle TROs, so a moved number is traced to the rules or the data.',
    '',
    'Categories (in this order in --json "changed"):',
    '  rules     the country model package, its version or its wheel',
    '  data      the dataset, the data release manifest, the data build (id, fingerprint, built-with model)',
    '  reform    the reform payload',
    '  inputs    the input and request payloads',
    '  results   the results payload',
    '  runtime   the runtime payload and the recorded runtime environment',
    '  metadata  anything else: names, dates, emission context, CI, certification wording, bundle id, locations',
    '',
    'The first line is the verdict, e.g. "rules changed, data unchanged, metadata changed".',
    '',
    'Exit codes (the convention of diff(1); an exception to the usual table, where 1 is an internal error):',
    '  0  identical in substance: nothing, or only metadata, changed',
    '  1  the records differ',
    '  2  usage error',
    '  3  bad input: unreadable, not a record, or records of different kinds',
  ].join('\n');
  static override examples = [
    '<%= config.bin %> diff old/us.trace.tro.jsonld new/us.trace.tro.jsonld',
    '<%= config.bin %> diff run-a/ run-b/ --json',
    '<%= config.bin %> diff v4/manifest.json v5/manifest.json',
  ];
  static override args = {
    a: Args.string({ description: 'first record: TRO file, run record folder or bundle manifest', required: true }),
    b: Args.string({ description: 'second record, of the same kind', required: true }),
  };

  protected async exec(): Promise<Outcome<RecordDiff>> {
    const { args } = await this.parse(Diff);
    const la = displayPath(args.a);
    const lb = displayPath(args.b);
    const a = await loadRecord(args.a, { label: la });
    const b = await loadRecord(args.b, { label: lb });
    const d = diffRecords(a.summary, b.summary, { a: la, b: lb });
    return {
      status: d.identicalInSubstance ? EXIT.OK : DIFF_DIFFERS,
      result: d,
      text: formatDiffText(d),
      warnings: [...a.warnings.map((w) => `${la}: ${w}`), ...b.warnings.map((w) => `${lb}: ${w}`)],
    };
  }
}
