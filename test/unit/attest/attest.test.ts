// The attest library on hostile input: PAE vector, KEYID, DER/token/bundle/keychain readers that only ever raise
// their own coded errors, keychain tampering of every kind refused whole, and a runtime never read from process.env.
import { createHash, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PeTraceError,
  addKey,
  initKeychain,
  keyIdOf,
  keychainBytes,
  loadSigningKey,
  pae,
  parseBundle,
  readKeychain,
  revokeKey,
  rotateRoot,
  runtimeFromEnvironment,
  signEnvelope,
  verifyTimestampResponse,
  verifyTimestampToken,
  envelopeSignedBy,
} from '../../../src/index.js';
import type { ErrorCode } from '../../../src/index.js';

const newKey = (type: 'ed25519' | 'p256' = 'ed25519') => {
  const pair = type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return loadSigningKey(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), 'k.pem');
};

/** Runs `fn`; it must either succeed or raise a PeTraceError with one of `codes` (never a TypeError, RangeError…). */
function onlyCoded(fn: () => unknown, codes: readonly ErrorCode[]): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PeTraceError);
    expect(codes).toContain((e as PeTraceError).code);
    expect((e as PeTraceError).message).not.toContain('\n');
  }
}

describe('DSSE and keys', () => {
  it('PAE matches the DSSE spec example byte for byte', () => {
    expect(Buffer.from(pae('http://example.com/HelloWorld', Buffer.from('hello world'))).toString()).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
    // lengths are bytes, not characters
    expect(Buffer.from(pae('t', Buffer.from('é'))).toString()).toBe('DSSEv1 1 t 2 é');
  });

  it('KEYID is the sha256 of the DER SubjectPublicKeyInfo, for both key types', () => {
    for (const type of ['ed25519', 'p256'] as const) {
      const k = newKey(type);
      expect(k.publicKey.keyid).toBe(createHash('sha256').update(k.publicKey.key.export({ type: 'spki', format: 'der' })).digest('hex'));
      expect(keyIdOf(k.publicKey.key)).toBe(k.publicKey.keyid);
    }
  });

  it('an envelope verifies only for its own key, payload type and payload', () => {
    const k = newKey('p256');
    const env = signEnvelope('application/vnd.in-toto+json', Buffer.from('{}'), [k]);
    expect(envelopeSignedBy(env, k.publicKey)).toBe(true);
    expect(envelopeSignedBy({ ...env, payloadType: 'application/json' }, k.publicKey)).toBe(false);
    expect(envelopeSignedBy({ ...env, payload: Buffer.from('{ }').toString('base64') }, k.publicKey)).toBe(false);
    expect(envelopeSignedBy({ ...env, signatures: [{ ...env.signatures[0]!, sig: 'not base64!' }] }, k.publicKey)).toBe(false);
    expect(envelopeSignedBy(env, newKey('p256').publicKey)).toBe(false);
  });
});

describe('readers raise only their own codes', () => {
  it('RFC 3161 response and token readers: random bytes and truncations are TIMESTAMP_INVALID', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        onlyCoded(() => verifyTimestampToken(bytes, Buffer.from('sig'), [], 'b'), ['TIMESTAMP_INVALID']);
        onlyCoded(() => verifyTimestampResponse(bytes, Buffer.from('sig'), [], 'b'), ['TIMESTAMP_INVALID']);
      }),
      { numRuns: 300 },
    );
    // DER-shaped garbage: a SEQUENCE holding random content
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (inner) => {
        const der = Buffer.concat([Buffer.from([0x30, inner.length]), inner]);
        onlyCoded(() => verifyTimestampToken(der, Buffer.from('sig'), [], 'b'), ['TIMESTAMP_INVALID']);
        onlyCoded(() => verifyTimestampResponse(der, Buffer.from('sig'), [], 'b'), ['TIMESTAMP_INVALID']);
      }),
      { numRuns: 300 },
    );
  });

  it('bundle reader: any JSON value is SIGNATURE_MALFORMED or a bundle', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => onlyCoded(() => parseBundle(Buffer.from(JSON.stringify(v) ?? 'null'), 'b.json'), ['SIGNATURE_MALFORMED'])),
      { numRuns: 300 },
    );
    onlyCoded(() => parseBundle(Buffer.from('{"a":1,"a":2}'), 'b.json'), ['SIGNATURE_MALFORMED']);
    onlyCoded(() => parseBundle(Buffer.from([0xff, 0xfe]), 'b.json'), ['SIGNATURE_MALFORMED']);
  });
});

describe('keychain', () => {
  const root = newKey();
  const signer = newKey('p256');
  let chain = initKeychain(root);
  chain = addKey(chain, root, signer.publicKey, { name: 's', notBefore: '2026-01-01T00:00:00Z', notAfter: null }, 'kc');
  chain = revokeKey(chain, root, signer.publicKey.keyid, '2026-06-01T00:00:00+02:00', 'test', 'kc');
  const bytes = keychainBytes(chain);

  it('round-trips: same versions, same head, same bytes', () => {
    const back = readKeychain(bytes, 'kc');
    expect(back.versions).toEqual(chain.versions);
    expect(back.headHash).toBe(chain.headHash);
    expect(Buffer.from(keychainBytes(back)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('any single changed character anywhere is refused whole (KEYCHAIN_BROKEN), never accepted', () => {
    const text = Buffer.from(bytes).toString('utf8');
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), fc.constantFrom('A', 'b', '0', '/', '"', '}'), (at, ch) => {
        if (text[at] === ch) return;
        const mutated = text.slice(0, at) + ch + text.slice(at + 1);
        let accepted = false;
        try {
          const back = readKeychain(Buffer.from(mutated), 'kc');
          // whitespace-only or key-order-irrelevant changes may still parse to the same signed content
          accepted = JSON.stringify(back.versions) !== JSON.stringify(chain.versions);
        } catch (e) {
          expect((e as PeTraceError).code).toBe('KEYCHAIN_BROKEN');
        }
        expect(accepted).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('reordered, duplicated or dropped versions are refused', () => {
    const doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as { versions: unknown[] };
    const variants = [
      [doc.versions[1], doc.versions[0], doc.versions[2]],
      [doc.versions[0], doc.versions[0], doc.versions[1], doc.versions[2]],
      [doc.versions[0], doc.versions[2]],
      [doc.versions[1], doc.versions[2]],
      [],
    ];
    for (const versions of variants) {
      expect(() => readKeychain(Buffer.from(JSON.stringify({ ...doc, versions })), 'kc')).toThrow(expect.objectContaining({ code: 'KEYCHAIN_BROKEN' }));
    }
  });

  it('a rotation signed only by the new root, or a version signed by a stranger, is refused', () => {
    const newRoot = newKey();
    const rotated = rotateRoot(chain, root, newRoot, 'kc');
    expect(readKeychain(keychainBytes(rotated), 'kc').versions).toHaveLength(4);
    const forged = { ...rotated, envelopes: [...rotated.envelopes.slice(0, 3), { ...rotated.envelopes[3]!, signatures: rotated.envelopes[3]!.signatures.filter((s) => s.keyid === newRoot.publicKey.keyid) }] };
    expect(() => readKeychain(keychainBytes(forged), 'kc')).toThrow(expect.objectContaining({ code: 'KEYCHAIN_BROKEN' }));
    // the old root cannot edit the chain after handing it over
    expect(() => addKey(rotated, root, newKey().publicKey, { name: 'x', notBefore: null, notAfter: null }, 'kc')).toThrow(expect.objectContaining({ code: 'ROOT_MISMATCH' }));
  });
});

describe('runtime binding', () => {
  it('reads only the environment it is given (never process.env), and claims nothing without a host', () => {
    expect(() => runtimeFromEnvironment({})).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(runtimeFromEnvironment({ K_SERVICE: 's', K_REVISION: 'r' })).toEqual({ runtimeHost: 'cloud-run', service: 's', serviceRevision: 'r' });
    // empty variables count as unset (Python truthiness, as the emission context does)
    expect(() => runtimeFromEnvironment({ K_SERVICE: '', K_REVISION: '', KUBERNETES_SERVICE_HOST: '', GITHUB_ACTIONS: 'false' })).toThrow();
    expect(runtimeFromEnvironment({ CLOUD_RUN_JOB: 'j', CLOUD_RUN_EXECUTION: 'e', CLOUD_RUN_TASK_INDEX: '0' })).toEqual({ runtimeHost: 'cloud-run', service: 'j', instanceId: 'e/0' });
  });
});
