// `pe-trace keychain init --root-key FILE --out FILE`: a new keychain, version 1, self-signed by the root key.
import { access } from 'node:fs/promises';
import { Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../../src/cli/base-command.js';
import { displayPath } from '../../src/cli/paths.js';
import { EXIT, PeTraceError, initKeychain, keychainBytes, readSigningKeyFile, writeFileAtomic } from '../../src/index.js';

interface KeychainInitResult {
  readonly out: string;
  readonly root: string;
  readonly version: number;
  readonly head: string;
}

export default class KeychainInit extends BaseCommand<KeychainInitResult> {
  static override summary = 'Start a keychain: version 1, signed by the root key, with no signing keys yet.';
  static override description = [
    'A keychain is the history of an institution\'s signing keys: a list of versions, each naming the sha256 of the one',
    'before and signed (DSSE) by the root key. Keep the root key offline; publish its KEYID (printed here) where readers',
    'will find it (README, papers, the DNS TXT record _pe-trace-root.DOMAIN "keyid=<hex>"). Refuses to overwrite a file.',
  ].join(' ');
  static override examples = ['<%= config.bin %> keychain init --root-key root.pem --out keychain.json'];
  static override flags = {
    'root-key': Flags.string({ description: 'PKCS#8 PEM private key of the root (Ed25519 or ECDSA P-256)', required: true }),
    out: Flags.string({ description: 'keychain file to create (must not exist)', required: true }),
  };

  protected async exec(): Promise<Outcome<KeychainInitResult>> {
    const { flags } = await this.parse(KeychainInit);
    const out = displayPath(flags.out);
    const exists = await access(flags.out).then(() => true, () => false);
    if (exists) throw new PeTraceError('USAGE', `${out} exists: a keychain records history, so init never overwrites one`);
    const root = await readSigningKeyFile(flags['root-key'], displayPath(flags['root-key']));
    const chain = initKeychain(root);
    await writeFileAtomic(flags.out, keychainBytes(chain), { label: out });
    return {
      status: EXIT.OK,
      result: { out, root: root.publicKey.keyid, version: 1, head: chain.headHash },
      text: [`keychain ${out}: version 1, root ${root.publicKey.keyid}`],
    };
  }
}
