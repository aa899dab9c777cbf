// `pe-trace sign TRO --key FILE`: writes a Sigstore bundle v0.3 (DSSE, in-toto statement over the TRO's exact bytes).
import { basename } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import { displayPath } from '../src/cli/paths.js';
import {
  EXIT, type JsonValue, PeTraceError, type SigningKey, loadTroFile, readSigningKeyFile, requestTimestamp, requestTimestampReply, sha256Hex, signTro, signTroUtils,
  timestampGenTime, tokenFromResponse, troUtilsBase, writeFileAtomic,
} from '../src/index.js';

interface SignResult {
  readonly keyid: string;
  /** sha256 of the TRO's exact bytes (the statement's first subject). */
  readonly subjectSha256: string;
  readonly out: string;
  /** genTime of each RFC 3161 timestamp, in --tsa order. */
  readonly timestamps: readonly string[];
}

export default class Sign extends BaseCommand<SignResult> {
  static override summary = 'Sign a TRO: a Sigstore bundle v0.3 holding a DSSE-signed in-toto statement over the TRO\'s exact bytes.';
  static override description = [
    'Writes <TRO>.sigstore.json (or --out). The statement\'s first subject is the TRO file (its name and the sha256 of',
    'its exact bytes); its predicate (type https://policyengine.org/trace/0.1#TroAttestation) carries the composition',
    'fingerprint, the signer\'s name and KEYID, and the runtime binding when the TRO has one. Keys are PKCS#8 PEM,',
    'Ed25519 or ECDSA P-256; KEYID is the lowercase hex sha256 of the DER SubjectPublicKeyInfo.',
    'Each --tsa URL is asked for an RFC 3161 timestamp over the signature bytes (sha256 imprint), which gives',
    'verifiers a trusted signing time; without one, a verifier can only check the key against its own clock.',
    'Verify with: pe-trace verify TRO --signature <TRO>.sigstore.json --keychain KEYCHAIN --root KEYID.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> sign run-record/run.trace.tro.jsonld --key signing-2026.pem',
    '<%= config.bin %> sign run.trace.tro.jsonld --key signing.pem --name "PolicyEngine" --tsa http://timestamp.example.org/tsr',
  ];
  static override args = { tro: Args.string({ description: 'TRO JSON-LD file to sign (its exact bytes are signed)', required: true }) };
  static override flags = {
    key: Flags.string({ description: 'PKCS#8 PEM private key (Ed25519 or ECDSA P-256)', required: true }),
    tsa: Flags.string({ description: 'RFC 3161 timestamp authority URL, http:// or https:// (repeatable; asked in order)', multiple: true, default: [] }),
    out: Flags.string({ description: 'where to write the bundle (default: <TRO>.sigstore.json)' }),
    name: Flags.string({ description: 'signer name written into the predicate (default: the key file name without extension)' }),
    'tsa-timeout': Flags.integer({ description: 'seconds to wait for each timestamp authority', default: 30, min: 1 }),
    format: Flags.option({
      options: ['sigstore', 'tro-utils'] as const,
      default: 'sigstore' as const,
      description:
        'sigstore: <TRO>.sigstore.json (above). tro-utils: TRACE\'s tro-utils convention beside the TRO, <base>.sig (armored detached ' +
        'OpenPGP signature, Ed25519 keys only, over json.dumps(tro, indent=2, sort_keys=True)), <base>.pub.asc (the OpenPGP public key ' +
        'for gpg --import) and, with --tsa, <base>.tsr (RFC 3161 reply, sha512 imprint over tro-utils\' digest object).',
    })(),
  };

  protected async exec(): Promise<Outcome<SignResult>> {
    const { args, flags } = await this.parse(Sign);
    const shown = displayPath(args.tro);
    const { bytes, json, model } = await loadTroFile(args.tro, { label: shown });
    const key = await readSigningKeyFile(flags.key, displayPath(flags.key));
    const signerName = flags.name ?? basename(flags.key).replace(/\.[^.]*$/, '');
    if (flags.format === 'tro-utils') return this.troUtils(args.tro, json, key, signerName, flags.tsa, flags['tsa-timeout']);
    const signed = await signTro({
      troBytes: bytes,
      troPath: args.tro,
      model,
      key,
      signerName,
      ...(flags.tsa.length === 0
        ? {}
        : { timestamp: async (sig: Uint8Array) => Promise.all(flags.tsa.map((url) => requestTimestamp(url, sig, { timeoutMs: flags['tsa-timeout'] * 1000 }))) }),
    });
    const out = flags.out ?? `${args.tro}.sigstore.json`;
    const outShown = displayPath(out);
    await writeFileAtomic(out, signed.bytes, { label: outShown });
    const timestamps = signed.bundle.timestamps.map((t) => timestampGenTime(t).toISOString());
    const stamped = timestamps.length === 0 ? 'no timestamp' : `timestamped ${timestamps.join(', ')}`;
    return {
      status: EXIT.OK,
      result: { keyid: signed.keyid, subjectSha256: signed.subjectSha256, out: outShown, timestamps },
      text: [`signed: ${shown} -> ${outShown} (key ${signed.keyid}, ${stamped})`],
    };
  }

  /** `--format tro-utils`: `<base>.sig`, `<base>.pub.asc` and (with --tsa, the first URL) `<base>.tsr`. */
  private async troUtils(tro: string, json: JsonValue, key: SigningKey, name: string, tsa: readonly string[], timeoutS: number): Promise<Outcome<SignResult>> {
    const url = tsa[0];
    if (tsa.length > 1) throw new PeTraceError('USAGE', '--format tro-utils takes one --tsa (tro-utils keeps one .tsr)');
    const signed = await signTroUtils({
      tro: json,
      key,
      userId: name,
      now: Math.floor(Date.now() / 1000),
      ...(url === undefined ? {} : { timestamp: async (data: Uint8Array) => {
        const reply = await requestTimestampReply(url, data, 'sha512', { timeoutMs: timeoutS * 1000 });
        tokenFromResponse(reply, url); // refuses a reply that is not granted
        return reply;
      } }),
    });
    const base = troUtilsBase(tro);
    await writeFileAtomic(`${base}.sig`, Buffer.from(signed.signature), { label: displayPath(`${base}.sig`) });
    await writeFileAtomic(`${base}.pub.asc`, Buffer.from(signed.publicKey), { label: displayPath(`${base}.pub.asc`) });
    if (signed.tsr !== undefined) await writeFileAtomic(`${base}.tsr`, signed.tsr, { label: displayPath(`${base}.tsr`) });
    const timestamps = signed.tsr === undefined ? [] : [timestampGenTime(signed.tsr).toISOString()];
    return {
      status: EXIT.OK,
      result: { keyid: key.publicKey.keyid, subjectSha256: sha256Hex(signed.declaration), out: displayPath(`${base}.sig`), timestamps },
      text: [`signed (tro-utils): ${displayPath(tro)} -> ${displayPath(`${base}.sig`)}${signed.tsr === undefined ? '' : `, ${displayPath(`${base}.tsr`)}`} (OpenPGP ${signed.fingerprint})`],
    };
  }
}
