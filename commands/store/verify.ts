// `pe-trace store verify`: re-verify every record of a store against its index and its own TRO (exit 5 on any finding).
import { Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../../src/cli/base-command.js';
import { displayPath } from '../../src/cli/paths.js';
import { EXIT, verifyStore } from '../../src/index.js';
import type { StoreVerifyReport } from '../../src/index.js';

export default class StoreVerify extends BaseCommand<StoreVerifyReport> {
  static override summary = 'Re-verify the whole store: files as indexed, each TRO verifies offline under its fingerprint, nothing unindexed.';
  static override description = 'Exit 0 when every record checks out, 5 when any file was added, removed or changed, a TRO no longer verifies, or a record directory is missing from the index.';
  static override examples = ['<%= config.bin %> store verify --store /srv/records'];
  static override flags = { store: Flags.string({ description: 'The store folder.', required: true }) };

  protected async exec(): Promise<Outcome<StoreVerifyReport>> {
    const { flags } = await this.parse(StoreVerify);
    const report = await verifyStore(flags.store, displayPath(flags.store));
    const label = displayPath(flags.store);
    if (report.verified) return { status: EXIT.OK, result: report, text: [`ok: ${label} (${report.records} records)`] };
    return {
      status: EXIT.VERIFICATION_FAILED,
      result: report,
      text: report.findings.map((f) => `bad: ${f.fingerprint} \u2014 ${f.problem}`),
      stderr: [`error: ${label} failed verification (${report.findings.length} findings)`],
    };
  }
}
