// `pe-trace store ls`: the records a store holds, from its index.
import { Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../../src/cli/base-command.js';
import { displayPath } from '../../src/cli/paths.js';
import { EXIT, readIndex } from '../../src/index.js';
import type { StoreEntry } from '../../src/index.js';

export default class StoreLs extends BaseCommand<{ readonly records: readonly StoreEntry[] }> {
  static override summary = 'List the records of a store (fingerprint, TRO, file count), from index.json.';
  static override examples = ['<%= config.bin %> store ls --store /srv/records', '<%= config.bin %> store ls --store /srv/records --json'];
  static override flags = { store: Flags.string({ description: 'The store folder.', required: true }) };

  protected async exec(): Promise<Outcome<{ readonly records: readonly StoreEntry[] }>> {
    const { flags } = await this.parse(StoreLs);
    const records = await readIndex(flags.store, displayPath(flags.store));
    return { status: EXIT.OK, result: { records }, text: records.map((r) => `${r.fingerprint}  ${r.tro}  ${r.files.length} files`) };
  }
}
