// `pe-trace vocab export`: writes the upstream-ready vocabulary package (pe, pop, term map, contexts, shapes, HTML pages) into a folder.
import { Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../../src/cli/base-command.js';
import { EXIT, buildVocabExport, writeVocabExport } from '../../src/index.js';
import type { VocabFormat } from '../../src/index.js';

interface ExportResult {
  /** The folder written, or null for a dry run (no --out). */
  readonly out: string | null;
  readonly written: boolean;
  readonly files: readonly { readonly path: string; readonly bytes: number; readonly sha256: string }[];
}

export default class VocabExport extends BaseCommand<ExportResult> {
  static override summary = 'Export the pe:/pop: vocabularies, the dialect term map, contexts and shapes as a self-contained package.';
  static override description =
    'Builds the package from every vocab/*.ttl (part files such as vocab/pop-inputs.ttl merge into their ' +
    'vocabulary): for each vocabulary a Turtle file, a JSON-LD file and a static HTML page (classes and ' +
    'properties with label, comment, domain, range and status, an anchor per term); the JSON-LD contexts ' +
    '(contexts/); and, with Turtle, the SHACL shapes (shapes/*.shape.ttl, copied byte for byte). The bytes are ' +
    'deterministic. --format keeps one serialisation (contexts are always included). Without --out nothing is ' +
    'written: the files that would be written are listed with their sizes and sha256. With --out every file is ' +
    'written atomically inside that folder (created if missing); nothing is ever written outside it.';

  static override examples = [
    '<%= config.bin %> vocab export --out dist/vocab',
    '<%= config.bin %> vocab export --format html --out site',
    '<%= config.bin %> vocab export --json',
  ];

  static override flags = {
    format: Flags.option({ options: ['turtle', 'jsonld', 'html'] as const, description: 'Only this serialisation of the vocabularies (default: all three).' })(),
    out: Flags.string({ description: 'The folder to write the package into (parents created; each file written atomically).' }),
  };

  protected async exec(): Promise<Outcome<ExportResult>> {
    const { flags } = await this.parse(VocabExport);
    const formats: readonly VocabFormat[] | undefined = flags.format === undefined ? undefined : [flags.format];
    const files = await buildVocabExport(formats === undefined ? {} : { formats });
    if (flags.out !== undefined) await writeVocabExport(files, flags.out, { label: flags.out });
    const listed = files.map((f) => ({ path: f.path, bytes: f.bytes.length, sha256: f.sha256 }));
    const lines = listed.map((f) => `${f.sha256}  ${String(f.bytes).padStart(7)}  ${flags.out === undefined ? f.path : `${flags.out.replace(/\/+$/, '')}/${f.path}`}`);
    const head = flags.out === undefined ? `would write ${files.length} files (dry run: pass --out DIR to write them)` : `wrote ${files.length} files to ${flags.out}`;
    return { status: EXIT.OK, result: { out: flags.out ?? null, written: flags.out !== undefined, files: listed }, text: [head, ...lines] };
  }
}
