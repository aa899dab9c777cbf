// `pe-trace export RECORD --format ro-crate --out DIR`: package a record as an RO-Crate 1.2 folder for repositories.
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import { displayPath } from '../src/cli/paths.js';
import { writeDirectoryAtomically } from '../src/emit/atomic-dir.js';
import { EXIT } from '../src/errors.js';
import { type CrateEntity, RO_CRATE_SPEC, buildRoCrate } from '../src/export/index.js';
import { loadRecord } from '../src/summary/index.js';

interface ExportResult {
  readonly format: 'ro-crate';
  readonly conformsTo: string;
  /** Files written, in crate order (ro-crate-metadata.json first). */
  readonly files: readonly string[];
  readonly entities: readonly CrateEntity[];
}

export default class Export extends BaseCommand<ExportResult> {
  static override summary = 'Package a run record or TRO as an RO-Crate (1.2) folder for Zenodo, WorkflowHub and other repositories.';
  static override description = [
    'Writes DIR with ro-crate-metadata.json (RO-Crate 1.2, JSON-LD), the TRO, every payload the TRO names by a plain',
    'file name in its folder (bundle TRO, reform, input, request, results), the signature <TRO>.sigstore.json when',
    'it sits beside the TRO, and the citation as CITATION.cff and CITATION.bib. Every file entity carries its sha256',
    'and size; https artifacts (datasets, wheels, release manifests) are listed as web entities with the sha256 the',
    'TRO claims, and are not downloaded. A payload whose bytes do not match the TRO is refused (exit 5): run',
    '`pe-trace verify` first. The folder is written atomically; an existing non-empty DIR needs --force.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> export run-record/ --format ro-crate --out run-record.crate',
    '<%= config.bin %> export run-record/ --format ro-crate --out crate --doi 10.5281/zenodo.20678518',
  ];
  static override args = { record: Args.string({ description: 'run record folder or TRO file', required: true }) };
  static override flags = {
    format: Flags.option({ options: ['ro-crate'] as const, required: true, description: 'package format (ro-crate: RO-Crate 1.2)' })(),
    out: Flags.string({ description: 'folder to write the crate into (created; must not exist or be empty unless --force)', required: true }),
    force: Flags.boolean({ description: 'replace a non-empty --out folder', default: false }),
    doi: Flags.string({ description: 'DOI to cite in the crate (10.NNNN/suffix)' }),
    url: Flags.string({ description: 'http(s) URL to cite in the crate' }),
  };

  protected async exec(): Promise<Outcome<ExportResult>> {
    const { args, flags } = await this.parse(Export);
    const loaded = await loadRecord(args.record, { label: displayPath(args.record) });
    const crate = await buildRoCrate(loaded, { ...(flags.doi === undefined ? {} : { doi: flags.doi }), ...(flags.url === undefined ? {} : { url: flags.url }) });
    const out = displayPath(flags.out);
    await writeDirectoryAtomically(flags.out, crate.files, { force: flags.force, label: out });
    const files = crate.files.map((f) => f.name);
    return {
      status: EXIT.OK,
      result: { format: 'ro-crate', conformsTo: RO_CRATE_SPEC, files, entities: crate.entities },
      text: [`wrote ${out}: RO-Crate 1.2 with ${files.length} files (${crate.entities.filter((e) => !e.local).length} web entities listed)`, ...files.map((f) => `  ${f}`)],
      warnings: [...loaded.warnings, ...crate.warnings],
    };
  }
}
