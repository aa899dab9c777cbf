// `pe-trace keychain add-key FILE --root-key FILE --public-key PEM`: a new version listing one more signing key.
import { basename } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../../src/cli/base-command.js';
import { displayPath } from '../../src/cli/paths.js';
import {
  EXIT, type KeychainSummary, addKey, formatKeychainText, keychainBytes, parseIsoInstant, readKeychainFile, readPublicKeyFile, readSigningKeyFile,
  summariseKeychain, writeFileAtomic,
} from '../../src/index.js';

export default class KeychainAddKey extends BaseCommand<KeychainSummary> {
  static override summary = 'Add a signing key to a keychain (a new root-signed version).';
  static override description = [
    'The key (SPKI PEM, Ed25519 or ECDSA P-256) is listed under its KEYID with an optional validity window. Any window',
    'is accepted, past ones included: a keychain records history. Times are ISO 8601 with a zone (2021-03-04T05:06:07Z).',
    'The keychain is checked whole first, and --root-key must be its current root.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> keychain add-key keychain.json --root-key root.pem --public-key signing-2026.pub.pem --name "PolicyEngine 2026" --not-before 2026-01-01T00:00:00Z --not-after 2027-01-01T00:00:00Z',
  ];
  static override args = { keychain: Args.string({ description: 'keychain file (updated in place, atomically)', required: true }) };
  static override flags = {
    'root-key': Flags.string({ description: 'PKCS#8 PEM private key of the keychain\'s current root', required: true }),
    'public-key': Flags.string({ description: 'SPKI PEM public key to add', required: true }),
    name: Flags.string({ description: 'a name for the key (default: the public key file name without extension)' }),
    'not-before': Flags.string({ description: 'first instant the key may sign (ISO 8601 with a zone)' }),
    'not-after': Flags.string({ description: 'instant from which the key may no longer sign (ISO 8601 with a zone)' }),
  };

  protected async exec(): Promise<Outcome<KeychainSummary>> {
    const { args, flags } = await this.parse(KeychainAddKey);
    const label = displayPath(args.keychain);
    if (flags['not-before'] !== undefined) parseIsoInstant(flags['not-before'], '--not-before');
    if (flags['not-after'] !== undefined) parseIsoInstant(flags['not-after'], '--not-after');
    const chain = await readKeychainFile(args.keychain, label);
    const root = await readSigningKeyFile(flags['root-key'], displayPath(flags['root-key']));
    const key = await readPublicKeyFile(flags['public-key'], displayPath(flags['public-key']));
    const next = addKey(chain, root, key, {
      name: flags.name ?? basename(flags['public-key']).replace(/(\.pub)?\.[^.]*$/, ''),
      notBefore: flags['not-before'] ?? null,
      notAfter: flags['not-after'] ?? null,
    }, label);
    await writeFileAtomic(args.keychain, keychainBytes(next), { label });
    const summary = summariseKeychain(next);
    return { status: EXIT.OK, result: summary, text: formatKeychainText(label, summary) };
  }
}
