// `pe-trace store put RECORD_DIR --store DIR`: add a verified record to a content-addressed, append-only store.
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../../src/cli/base-command.js';
import { displayPath } from '../../src/cli/paths.js';
import { EXIT, putRecord } from '../../src/index.js';
import type { StoreEntry } from '../../src/index.js';

interface PutCommandResult {
  readonly fingerprint: string;
  readonly status: 'added' | 'unchanged' | 'attached';
  readonly record: StoreEntry;
  /** Record directories found unindexed, verified and indexed again. */
  readonly recovered: readonly string[];
}

export default class StorePut extends BaseCommand<PutCommandResult> {
  static override summary = 'Add a record to a content-addressed store under its composition fingerprint (verified first; append-only).';
  static override description = [
    'The record (a flat folder: a TRO and the payloads it locates, e.g. what `pe-trace record` writes) is verified',
    'offline first; one that does not verify is refused (exit 5). It is then copied to STORE/<fingerprint>/ (all at',
    'once, from a temp folder) and STORE/index.json is rewritten atomically. Serve STORE with any static web server',
    'or bucket and the record is at https://HOST/<fingerprint>/<file>. Putting the same record again changes nothing',
    '(status unchanged); the same record with signatures or timestamps it lacked (*.sigstore.json, *.sig, *.asc, *.tsr)',
    'gains them (status attached); a different record with the same fingerprint, or a changed signature, is refused',
    '(exit 4) and the stored one is kept: stored files are never rewritten or pruned.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> store put runs/run-1 --store /srv/records',
    '<%= config.bin %> store put runs/run-1 --store /srv/records --json',
  ];
  static override args = { record: Args.string({ description: 'The record folder.', required: true }) };
  static override flags = {
    store: Flags.string({ description: 'The store folder (created if absent).', required: true }),
    tro: Flags.string({ description: "The record's TRO file name (default run.trace.tro.jsonld, else the only *.tro.jsonld)." }),
  };

  protected async exec(): Promise<Outcome<PutCommandResult>> {
    const { args, flags } = await this.parse(StorePut);
    const put = await putRecord(args.record, flags.store, {
      label: displayPath(args.record),
      storeLabel: displayPath(flags.store),
      ...(flags.tro === undefined ? {} : { tro: flags.tro }),
    });
    const said = put.status === 'added' ? 'stored' : put.status === 'attached' ? 'already stored, signatures added' : 'already stored';
    const text = [`${said}: ${put.fingerprint}/ (${put.entry.files.map((f) => f.path).join(', ')})`];
    const warnings = put.recovered.map((fp) => `${fp}/ was on disk but not in the index; it verified and is indexed again`);
    return { status: EXIT.OK, result: { fingerprint: put.fingerprint, status: put.status, record: put.entry, recovered: put.recovered }, text, warnings };
  }
}
