// `pe-trace show TRO|RECORD_DIR|MANIFEST`: a one-screen summary of a record (kind, producer, dates, artifacts, links).
import { Args } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import { displayPath } from '../src/cli/paths.js';
import { EXIT } from '../src/errors.js';
import { formatSummaryText, loadRecord, type RecordSummary } from '../src/summary/index.js';

export default class Show extends BaseCommand<RecordSummary> {
  static override summary = 'Summarise a TRO, a run record folder or a bundle manifest in one screen.';
  static override description = [
    'Prints what a reader wants first: the kind of record (certified bundle, simulation results, run record, data',
    'build, bundle manifest), its dialect, who produced it and when, the composition fingerprint, the rules (model',
    'package and version, wheel) and the data (data package, build, dataset, data release manifest) it pins, the',
    'reform, input and results of a run, each artifact with a short hash and its location, and what it links to.',
    'A run record folder is read through its bundle TRO and payloads (only plain file names inside the folder, only',
    'when their sha256 matches the TRO); any other folder holding exactly one *.trace.tro.jsonld is read as that TRO.',
    'Nothing is fetched. --json prints the whole summary (every artifact).',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> show fixtures/policyengine-py/shipped/us.trace.tro.jsonld',
    '<%= config.bin %> show run-record/',
    '<%= config.bin %> show data/bundle/manifest.json --json',
  ];
  static override args = { record: Args.string({ description: 'TRO file, run record folder, or bundle manifest (manifest.json)', required: true }) };

  protected async exec(): Promise<Outcome<RecordSummary>> {
    const { args } = await this.parse(Show);
    const loaded = await loadRecord(args.record, { label: displayPath(args.record) });
    return { status: EXIT.OK, result: loaded.summary, text: formatSummaryText(loaded.summary), warnings: loaded.warnings };
  }
}
