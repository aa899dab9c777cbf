// `pe-trace keychain revoke FILE --root-key FILE --key-id ID --at TIME --reason TEXT`: marks a key revoked from a time on.
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../../src/cli/base-command.js';
import { displayPath } from '../../src/cli/paths.js';
import {
  EXIT, type KeychainSummary, formatKeychainText, keychainBytes, parseIsoInstant, readKeychainFile, readSigningKeyFile, revokeKey, summariseKeychain,
  writeFileAtomic,
} from '../../src/index.js';

export default class KeychainRevoke extends BaseCommand<KeychainSummary> {
  static override summary = 'Revoke a signing key from a given time on (a new root-signed version).';
  static override description = [
    'Set --at to the earliest time the key may have been compromised. Signatures whose RFC 3161 timestamp is before',
    '--at still verify (and say the key was revoked later); signatures timestamped at or after it, and signatures',
    'without a timestamp once --at has passed, do not.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> keychain revoke keychain.json --root-key root.pem --key-id 3f1c…e2 --at 2026-05-01T00:00:00Z --reason "laptop lost"',
  ];
  static override args = { keychain: Args.string({ description: 'keychain file (updated in place, atomically)', required: true }) };
  static override flags = {
    'root-key': Flags.string({ description: 'PKCS#8 PEM private key of the keychain\'s current root', required: true }),
    'key-id': Flags.string({ description: 'KEYID of the key to revoke (lowercase hex sha256 of its SPKI DER)', required: true }),
    at: Flags.string({ description: 'revocation time, ISO 8601 with a zone', required: true }),
    reason: Flags.string({ description: 'why the key is revoked (kept in the keychain)', required: true }),
  };

  protected async exec(): Promise<Outcome<KeychainSummary>> {
    const { args, flags } = await this.parse(KeychainRevoke);
    const label = displayPath(args.keychain);
    parseIsoInstant(flags.at, '--at');
    const chain = await readKeychainFile(args.keychain, label);
    const root = await readSigningKeyFile(flags['root-key'], displayPath(flags['root-key']));
    const next = revokeKey(chain, root, flags['key-id'], flags.at, flags.reason, label);
    await writeFileAtomic(args.keychain, keychainBytes(next), { label });
    const summary = summariseKeychain(next);
    return { status: EXIT.OK, result: summary, text: formatKeychainText(label, summary) };
  }
}
