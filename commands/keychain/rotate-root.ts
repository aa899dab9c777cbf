// `pe-trace keychain rotate-root FILE --root-key OLD --new-root-key NEW`: hands the keychain to a new root key.
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../../src/cli/base-command.js';
import { displayPath } from '../../src/cli/paths.js';
import { EXIT, type KeychainSummary, formatKeychainText, keychainBytes, readKeychainFile, readSigningKeyFile, rotateRoot, summariseKeychain, writeFileAtomic } from '../../src/index.js';

export default class KeychainRotateRoot extends BaseCommand<KeychainSummary> {
  static override summary = 'Replace the keychain\'s root key (a new version signed by both the old and the new root).';
  static override description = [
    'The old root authorises the change and the new root proves it holds its key. Verifiers that trust either root',
    'accept the whole chain. Publish the new root KEYID (and keep the old one listed until readers have moved).',
  ].join(' ');
  static override examples = ['<%= config.bin %> keychain rotate-root keychain.json --root-key root-2026.pem --new-root-key root-2030.pem'];
  static override args = { keychain: Args.string({ description: 'keychain file (updated in place, atomically)', required: true }) };
  static override flags = {
    'root-key': Flags.string({ description: 'PKCS#8 PEM private key of the current root', required: true }),
    'new-root-key': Flags.string({ description: 'PKCS#8 PEM private key of the new root', required: true }),
  };

  protected async exec(): Promise<Outcome<KeychainSummary>> {
    const { args, flags } = await this.parse(KeychainRotateRoot);
    const label = displayPath(args.keychain);
    const chain = await readKeychainFile(args.keychain, label);
    const root = await readSigningKeyFile(flags['root-key'], displayPath(flags['root-key']));
    const newRoot = await readSigningKeyFile(flags['new-root-key'], displayPath(flags['new-root-key']));
    const next = rotateRoot(chain, root, newRoot, label);
    await writeFileAtomic(args.keychain, keychainBytes(next), { label });
    const summary = summariseKeychain(next);
    return { status: EXIT.OK, result: summary, text: formatKeychainText(label, summary) };
  }
}
