// `pe-trace keychain show FILE`: checks a keychain whole and prints its root, head hash and keys.
import { Args } from '@oclif/core';
import { BaseCommand, type Outcome } from '../../src/cli/base-command.js';
import { displayPath } from '../../src/cli/paths.js';
import { EXIT, type KeychainSummary, formatKeychainText, readKeychainFile, summariseKeychain } from '../../src/index.js';

export default class KeychainShow extends BaseCommand<KeychainSummary> {
  static override summary = 'Check a keychain (every hash link and root signature) and show its root, head and keys.';
  static override description = 'A keychain with any broken link or root signature is refused whole (exit 5, KEYCHAIN_BROKEN).';
  static override examples = ['<%= config.bin %> keychain show keychain.json', '<%= config.bin %> keychain show keychain.json --json'];
  static override args = { keychain: Args.string({ description: 'keychain file', required: true }) };

  protected async exec(): Promise<Outcome<KeychainSummary>> {
    const { args } = await this.parse(KeychainShow);
    const label = displayPath(args.keychain);
    const summary = summariseKeychain(await readKeychainFile(args.keychain, label));
    return { status: EXIT.OK, result: summary, text: [...formatKeychainText(label, summary), ...summary.changes.map((c) => `version ${c}`)] };
  }
}
