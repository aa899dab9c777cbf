// What the keychain commands print: a JSON-safe summary of a keychain's head and one line per key.
import { type Keychain, keychainHead } from './keychain.js';

export interface KeychainSummary {
  readonly version: number;
  readonly head: string;
  readonly root: string;
  readonly roots: readonly string[];
  readonly keys: readonly {
    readonly keyid: string;
    readonly name: string;
    readonly algorithm: string;
    readonly notBefore: string | null;
    readonly notAfter: string | null;
    readonly revoked: { readonly at: string; readonly reason: string } | null;
  }[];
  readonly changes: readonly string[];
}

export function summariseKeychain(chain: Keychain): KeychainSummary {
  const head = keychainHead(chain);
  return {
    version: head.version,
    head: chain.headHash,
    root: head.root.keyid,
    roots: [...new Set(chain.versions.map((v) => v.root.keyid))],
    keys: head.keys.map((k) => ({ keyid: k.keyid, name: k.name, algorithm: k.algorithm, notBefore: k.notBefore, notAfter: k.notAfter, revoked: k.revoked })),
    changes: chain.versions.map((v) => `${v.version}: ${v.change}`),
  };
}

/** Human lines: the head, then each key with its window and any revocation. */
export function formatKeychainText(label: string, s: KeychainSummary): string[] {
  const lines = [`keychain ${label}: version ${s.version}, head sha256 ${s.head}`, `root: ${s.root}`];
  for (const k of s.keys) {
    const window = `${k.notBefore ?? '-'} .. ${k.notAfter ?? '-'}`;
    const state = k.revoked === null ? 'active' : `revoked at ${k.revoked.at} (${k.revoked.reason})`;
    lines.push(`key ${k.keyid} ${JSON.stringify(k.name)} ${k.algorithm} ${window} ${state}`);
  }
  return lines;
}
