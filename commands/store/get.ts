// `pe-trace store get FP`: a stored record, checked against the index: its TRO on stdout, or the whole record copied to --out.
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../../src/cli/base-command.js';
import { displayPath } from '../../src/cli/paths.js';
import { EXIT, exportRecord, findRecord, readStoredRecord } from '../../src/index.js';
import type { StoreEntry } from '../../src/index.js';

interface GetResult {
  readonly record: StoreEntry;
  readonly out: string | null;
}

export default class StoreGet extends BaseCommand<GetResult> {
  static override summary = 'Fetch a stored record by fingerprint (or a unique prefix of 8+ hex digits).';
  static override description =
    'Every file is checked against the sha256 in the index before anything is written; a changed file fails (exit 5). ' +
    'Without --out the TRO bytes go to stdout; with --out the whole record is written to that folder at once ' +
    '(an existing non-empty folder is refused).';
  static override examples = ['<%= config.bin %> store get 8b68588a --store /srv/records > run.trace.tro.jsonld', '<%= config.bin %> store get 8b68588a --store /srv/records --out restored/'];
  static override args = { fingerprint: Args.string({ description: 'The composition fingerprint or a unique prefix.', required: true }) };
  static override flags = {
    store: Flags.string({ description: 'The store folder.', required: true }),
    out: Flags.string({ description: 'Write the whole record to this folder.' }),
  };

  protected async exec(): Promise<Outcome<GetResult>> {
    const { args, flags } = await this.parse(StoreGet);
    const storeLabel = displayPath(flags.store);
    const entry = await findRecord(flags.store, args.fingerprint, storeLabel);
    if (flags.out !== undefined) {
      await exportRecord(flags.store, entry, flags.out, { storeLabel, outLabel: displayPath(flags.out) });
      return { status: EXIT.OK, result: { record: entry, out: displayPath(flags.out) }, text: [`wrote ${displayPath(flags.out)} (${entry.files.map((f) => f.path).join(', ')})`] };
    }
    const files = await readStoredRecord(flags.store, entry, storeLabel);
    const tro = files.find((f) => f.path === entry.tro);
    return { status: EXIT.OK, result: { record: entry, out: null }, ...(tro === undefined ? { text: [] } : { bytes: tro.bytes }) };
  }
}
