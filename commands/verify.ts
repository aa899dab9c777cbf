// `pe-trace verify TRO`: rehash every artifact and recompute the composition fingerprint (exit 0 verified, 5 not).
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import { displayPath } from '../src/cli/paths.js';
import { ttyProgress } from '../src/cli/progress.js';
// Deliberately not the public barrel: verify is the command whose wall time is compared with `openssl dgst`, and
// importing only the four areas it uses loads ~40 ms of modules instead of the whole library's ~150 ms.
import { EXIT, InputError } from '../src/errors.js';
import { loadTroFile } from '../src/tro/index.js';
import { formatVerifyText, verifyTro, type VerifyReport } from '../src/verify/index.js';
import type { SignatureReport } from '../src/attest/verify-signature.js';

export default class Verify extends BaseCommand<VerifyReport & { signature?: SignatureReport }> {
  static override summary = 'Verify a TRO: rehash every artifact and recompute the composition fingerprint.';
  static override description = [
    'Relative locations resolve against --base-dir (default: the TRO file\'s folder) and may not leave it, symlinks',
    'included. Only https:// locations are ever fetched (with a timeout and a size cap); http://, file://, hf:// and',
    'every other scheme are reported unfetchable. Artifacts are streamed: memory does not grow with their size.',
    'The fingerprint is recomputed with the algorithm of the document\'s dialect (pe-0.1: "\\n"-joined; trov-0.1: concatenated).',
    'With --signature (a bundle from `pe-trace sign`), --keychain and a trust anchor (--root KEYID or --root-dns DOMAIN), the',
    'signature is checked first: keychain chain and root, key listed, DSSE signature, signed subject = these bytes, RFC 3161',
    'timestamp against --tsa-cert (else the key is checked against the current time), key window and revocation. Any',
    'failure exits 5 with its code (SIGNATURE_*, TIMESTAMP_*, KEYCHAIN_BROKEN, ROOT_MISMATCH, ROOT_DNS_FAILED).',
  ].join('\n');
  static override examples = [
    '<%= config.bin %> verify run-record/run.trace.tro.jsonld',
    '<%= config.bin %> verify data/bundle/us.trace.tro.jsonld --base-dir . --skip dataset --skip model_wheel',
    '<%= config.bin %> verify run.trace.tro.jsonld --signature run.trace.tro.jsonld.sigstore.json --keychain keychain.json --root 5d1f…a0 --tsa-cert tsa-chain.pem',
  ];
  static override args = { tro: Args.string({ description: 'TRO JSON-LD file', required: true }) };
  static override flags = {
    'base-dir': Flags.string({ description: 'folder relative artifact locations resolve against (default: the TRO\'s folder)' }),
    skip: Flags.string({ description: 'short artifact id to skip (repeatable), e.g. dataset', multiple: true, default: [] }),
    'no-fetch': Flags.boolean({ description: 'never fetch https:// artifacts (report them unfetchable unless skipped)', default: false }),
    timeout: Flags.integer({ description: 'https inactivity timeout in seconds', default: 60, min: 1 }),
    'max-bytes': Flags.integer({ description: 'largest https artifact accepted, in bytes', min: 1 }),
    ca: Flags.string({ description: 'PEM file of an extra CA trusted for https artifacts' }),
    // --- signature verification (issue 12; logic in src/attest/) ---
    signature: Flags.string({ description: 'Sigstore bundle made by `pe-trace sign` (e.g. TRO.sigstore.json); checked before the composition' }),
    keychain: Flags.string({ description: 'keychain file the signing key must be listed in (with --signature)' }),
    root: Flags.string({ description: 'trusted root KEYID of the keychain (64 hex digits)', exclusive: ['root-dns'] }),
    'root-dns': Flags.string({ description: 'read the trusted root KEYID from the DNS TXT record _pe-trace-root.DOMAIN ("keyid=<hex>")' }),
    'dns-server': Flags.string({ description: 'DNS resolver for --root-dns, IP[:PORT] (repeatable; default: the system\'s)', multiple: true, default: [] }),
    'tsa-cert': Flags.string({ description: 'PEM certificate(s) of a trusted timestamp authority and its chain (repeatable)', multiple: true, default: [] }),
  };

  protected async exec(): Promise<Outcome<VerifyReport & { signature?: SignatureReport }>> {
    const { args, flags } = await this.parse(Verify);
    const shown = displayPath(args.tro);
    const { bytes, model } = await loadTroFile(args.tro, { label: shown });
    // Signature check (issue 12): one library call before the composition check; any failure is a coded exit 5.
    const sigFlags = { signature: flags.signature, keychain: flags.keychain, root: flags.root, rootDns: flags['root-dns'], dnsServer: flags['dns-server'], tsaCert: flags['tsa-cert'] };
    const wantsSignature = Object.values(sigFlags).some((v) => (Array.isArray(v) ? v.length > 0 : v !== undefined));
    const signed = wantsSignature ? await (await import('../src/attest/verify-files.js')).checkSignatureFiles(bytes, shown, sigFlags, new Date()) : undefined;
    const signature = signed?.report;
    let ca: Buffer | undefined;
    if (flags.ca !== undefined) {
      try {
        ca = await readFile(flags.ca);
      } catch {
        throw new InputError('INPUT_UNREADABLE', 'cannot read the CA certificate file', { location: { file: displayPath(flags.ca) } });
      }
    }
    const progress = ttyProgress(!this.wantsJson);
    const report = await verifyTro(model, {
      baseDir: flags['base-dir'] ?? dirname(args.tro),
      skip: flags.skip,
      fetchHttps: !flags['no-fetch'],
      httpsTimeoutMs: flags.timeout * 1000,
      ...(flags['max-bytes'] === undefined ? {} : { httpsMaxBytes: flags['max-bytes'] }),
      ...(ca === undefined ? {} : { ca }),
      ...(progress === undefined
        ? {}
        : {
            onProgress: (e) =>
              progress.update(`hashing ${e.artifact}: ${(e.bytes / 2 ** 20).toFixed(0)}${e.totalBytes === null ? '' : ` / ${(e.totalBytes / 2 ** 20).toFixed(0)}`} MiB`),
          }),
    });
    progress?.done();
    const text = formatVerifyText(report, shown);
    return {
      result: signature === undefined ? report : { ...report, signature },
      status: report.verified ? EXIT.OK : EXIT.VERIFICATION_FAILED,
      text: signed === undefined ? text.stdout : [signed.line, ...text.stdout],
      stderr: text.stderr,
      warnings: signature?.warnings ?? [],
    };
  }
}
