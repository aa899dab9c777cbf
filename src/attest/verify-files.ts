// The signature half of `pe-trace verify`: reads --signature/--keychain/--tsa-cert files, resolves the root, checks.
import { displayPath } from '../cli/paths.js';
import { PeTraceError } from '../errors.js';
import { readAttestFile, readCertificateFile } from './files.js';
import { resolveRootKeyIds } from './root-dns.js';
import { type SignatureReport, verifyTroSignature } from './verify-signature.js';

export interface SignatureFlags {
  readonly signature?: string | undefined;
  readonly keychain?: string | undefined;
  readonly root?: string | undefined;
  readonly rootDns?: string | undefined;
  readonly dnsServer: readonly string[];
  readonly tsaCert: readonly string[];
}

/** Runs the whole signature check for the TRO's bytes (any signature flag given); throws the first failure's coded error. */
export async function checkSignatureFiles(troBytes: Uint8Array, troLabel: string, f: SignatureFlags, now: Date): Promise<{ report: SignatureReport; line: string }> {
  if (f.signature === undefined || f.keychain === undefined) throw new PeTraceError('USAGE', 'checking a signature needs both --signature FILE and --keychain FILE');
  if ((f.root === undefined) === (f.rootDns === undefined)) throw new PeTraceError('USAGE', 'give exactly one trust anchor: --root KEYID or --root-dns DOMAIN');
  if (f.root !== undefined && !/^[0-9a-f]{64}$/.test(f.root)) throw new PeTraceError('USAGE', '--root must be a KEYID: 64 lowercase hex digits');
  const rootKeyIds = f.root !== undefined ? [f.root] : await resolveRootKeyIds(f.rootDns!, { servers: f.dnsServer });
  const bundleLabel = displayPath(f.signature);
  const keychainLabel = displayPath(f.keychain);
  const bundleBytes = await readAttestFile(f.signature, bundleLabel, 'signature bundle');
  const keychainBytes = await readAttestFile(f.keychain, keychainLabel, 'keychain');
  const tsaCertificates = (await Promise.all(f.tsaCert.map((p) => readCertificateFile(p, displayPath(p))))).flat();
  const report = verifyTroSignature({ troBytes, troLabel, bundleBytes, bundleLabel, keychainBytes, keychainLabel, rootKeyIds, tsaCertificates, now });
  return { report, line: formatSignatureLine(report) };
}

/** The human line for a verified signature. */
export function formatSignatureLine(r: SignatureReport): string {
  const time = r.timeSource === 'rfc3161' ? `timestamped ${r.signingTime ?? '?'} by ${r.tsa ?? '?'}` : 'no trusted timestamp: key checked against the current time';
  const later = r.revokedLater === null ? '' : `; key revoked later, at ${r.revokedLater.at} (${r.revokedLater.reason})`;
  return `signature: ok (key ${JSON.stringify(r.keyName)} ${r.keyid}, ${time}, keychain version ${r.keychainVersion}, root ${r.root}${later})`;
}
