// `pe-trace sign`, `keychain …` and `verify --signature` end to end: real keys, a real openssl TSA and a DNS server on
// loopback, an independent openssl check of the DSSE signature, and every failure with its exit 5 and code.
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, envelope, expectOneLineError, runCli } from '../support/cli.js';
import { HAVE_GPG, HAVE_OPENSSL, type KeyFiles, type Pki, makeKey, makeTsaPki, startServer } from '../support/attest-pki.js';

const scratch = mkdtempSync(join(tmpdir(), 'pe-trace-attest-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
});

/** KEYID computed without our code: sha256 of the DER SPKI that openssl writes. */
function opensslKeyId(publicPem: string): string {
  const der = execFileSync('openssl', ['pkey', '-pubin', '-in', publicPem, '-outform', 'DER']);
  return createHash('sha256').update(der).digest('hex');
}

/** PAE written out here from the DSSE spec, independently of src/attest/dsse.ts. */
function paeHere(type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);
}

interface Bundle {
  mediaType: string;
  verificationMaterial: { publicKey: { hint: string }; timestampVerificationData?: { rfc3161Timestamps: { signedTimestamp: string }[] } };
  dsseEnvelope: { payloadType: string; payload: string; signatures: { sig: string; keyid: string }[] };
}

const readBundle = (p: string): Bundle => JSON.parse(readFileSync(p, 'utf8')) as Bundle;

describe.skipIf(!HAVE_OPENSSL)('pe-trace sign / keychain / verify --signature (skipped: openssl is not installed)', () => {
  const rr = join(scratch, 'rr');
  const tro = join(rr, 'run.trace.tro.jsonld');
  const kc = join(scratch, 'keychain.json');
  let root: KeyFiles;
  let root2: KeyFiles;
  let edKey: KeyFiles;
  let pKey: KeyFiles;
  let stranger: KeyFiles;
  let expiredKey: KeyFiles;
  let revokedBefore: KeyFiles;
  let revokedAfter: KeyFiles;
  let rootId: string;
  let pki: Pki;
  let otherPki: Pki;
  let tsaUrl: string;
  let dnsServer: string;

  const verifyArgs = (bundle: string, extra: readonly string[] = []): string[] => ['verify', tro, '--signature', bundle, '--keychain', kc, '--root', rootId, ...extra];
  const sign = (key: KeyFiles, out: string, extra: readonly string[] = []): ReturnType<typeof runCli> => {
    const r = runCli(['sign', tro, '--key', key.privatePem, '--out', out, '--json', ...extra]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    return r;
  };

  beforeAll(async () => {
    cpSync(join(FIXTURES, 'policyengine-py', 'generated', 'run-record'), rr, { recursive: true });
    root = makeKey(scratch, 'root', 'ed25519');
    root2 = makeKey(scratch, 'root2', 'ed25519');
    edKey = makeKey(scratch, 'signer-ed', 'ed25519');
    pKey = makeKey(scratch, 'signer-p256', 'p256');
    stranger = makeKey(scratch, 'stranger', 'ed25519');
    expiredKey = makeKey(scratch, 'expired', 'p256');
    revokedBefore = makeKey(scratch, 'revoked-before', 'ed25519');
    revokedAfter = makeKey(scratch, 'revoked-after', 'ed25519');
    pki = makeTsaPki(join(scratch, 'pki'), 'Good');
    otherPki = makeTsaPki(join(scratch, 'pki-other'), 'Other');
    const tsa = await startServer('tsa-server.mjs', [pki.config, join(scratch, 'pki')]);
    children.push(tsa.child);
    tsaUrl = `http://127.0.0.1:${tsa.port}/tsr`;
    expect(runCli(['keychain', 'init', '--root-key', root.privatePem, '--out', kc]).status).toBe(0);
    rootId = opensslKeyId(root.publicPem);
    const add = (k: KeyFiles, ...extra: string[]): void => {
      const r = runCli(['keychain', 'add-key', kc, '--root-key', root.privatePem, '--public-key', k.publicPem, ...extra]);
      expect(r.status, r.stderr).toBe(0);
    };
    add(edKey, '--name', 'PolicyEngine signing key');
    add(pKey);
    add(expiredKey, '--not-before', '2020-01-01T00:00:00Z', '--not-after', '2021-03-04T05:06:07Z');
    add(revokedBefore);
    add(revokedAfter);
    const dns = await startServer('dns-server.mjs', [`_pe-trace-root.example.test`, `keyid=${rootId}`, 'unrelated text']);
    children.push(dns.child);
    dnsServer = `127.0.0.1:${dns.port}`;
  }, 120_000);

  it('writes the exact bundle format and verifies (Ed25519), KEYID as openssl computes it', () => {
    const out = join(scratch, 'ed.sigstore.json');
    sign(edKey, out);
    const b = readBundle(out);
    const keyid = opensslKeyId(edKey.publicPem);
    expect(b.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(b.verificationMaterial.publicKey.hint).toBe(keyid);
    expect(b.verificationMaterial.timestampVerificationData).toBeUndefined();
    expect(b.dsseEnvelope.payloadType).toBe('application/vnd.in-toto+json');
    expect(b.dsseEnvelope.signatures).toEqual([{ sig: expect.any(String), keyid }]);
    const statement = JSON.parse(Buffer.from(b.dsseEnvelope.payload, 'base64').toString('utf8')) as Record<string, unknown>;
    expect(statement['_type']).toBe('https://in-toto.io/Statement/v1');
    expect(statement['subject']).toEqual([{ name: 'run.trace.tro.jsonld', digest: { sha256: createHash('sha256').update(readFileSync(tro)).digest('hex') } }]);
    expect(statement['predicateType']).toBe('https://policyengine.org/trace/0.1#TroAttestation');
    expect(statement['predicate']).toMatchObject({
      compositionFingerprint: { algorithm: 'sha256', value: '8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997' },
      signer: { keyid, name: 'signer-ed' },
    });
    const r = runCli(verifyArgs(out));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^signature: ok \(key "PolicyEngine signing key" [0-9a-f]{64}, no trusted timestamp/);
    expect(r.stdout).toContain('fingerprint: ok');
    const j = envelope<{ verified: boolean; signature: { keyid: string; timeSource: string; signingTime: null } }>(runCli([...verifyArgs(out), '--json']));
    expect(j.result?.signature).toMatchObject({ keyid, timeSource: 'now', signingTime: null });
  });

  it('the DSSE signature verifies with openssl pkeyutl, not our code (Ed25519 -rawin; P-256 DER over sha256 of the PAE)', () => {
    for (const [key, name] of [[edKey, 'ed'], [pKey, 'p256']] as const) {
      const out = join(scratch, `${name}-oracle.sigstore.json`);
      sign(key, out);
      const b = readBundle(out);
      const message = paeHere(b.dsseEnvelope.payloadType, Buffer.from(b.dsseEnvelope.payload, 'base64'));
      const sigFile = join(scratch, `${name}.sig`);
      writeFileSync(sigFile, Buffer.from(b.dsseEnvelope.signatures[0]!.sig, 'base64'));
      const msgFile = join(scratch, `${name}.msg`);
      if (name === 'ed') {
        writeFileSync(msgFile, message);
        const ok = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', key.publicPem, '-rawin', '-in', msgFile, '-sigfile', sigFile]).toString();
        expect(ok).toContain('Signature Verified Successfully');
      } else {
        writeFileSync(msgFile, createHash('sha256').update(message).digest());
        const ok = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', key.publicPem, '-in', msgFile, '-sigfile', sigFile]).toString();
        expect(ok).toContain('Signature Verified Successfully');
      }
      // and openssl rejects the same signature over one changed byte (the oracle can fail)
      const tampered = Buffer.from(readFileSync(msgFile));
      tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1;
      writeFileSync(msgFile, tampered);
      const args = ['pkeyutl', '-verify', '-pubin', '-inkey', key.publicPem, ...(name === 'ed' ? ['-rawin'] : []), '-in', msgFile, '-sigfile', sigFile];
      expect(() => execFileSync('openssl', args, { stdio: 'pipe' })).toThrow();
    }
  });

  it('P-256 with an RFC 3161 timestamp from the loopback openssl TSA: the signing time comes from the token', () => {
    const out = join(scratch, 'p256-ts.sigstore.json');
    const r = sign(pKey, out, ['--tsa', tsaUrl]);
    const stamped = envelope<{ timestamps: string[] }>(r).result!.timestamps;
    expect(stamped).toHaveLength(1);
    const b = readBundle(out);
    const token = b.verificationMaterial.timestampVerificationData!.rfc3161Timestamps[0]!.signedTimestamp;
    // openssl agrees: the stored TimeStampResp's imprint is sha256 over the signature bytes, and it chains to our CA
    const tokenFile = join(scratch, 'reply.tsr');
    writeFileSync(tokenFile, Buffer.from(token, 'base64'));
    const sigFile = join(scratch, 'p256-ts.sig');
    writeFileSync(sigFile, Buffer.from(b.dsseEnvelope.signatures[0]!.sig, 'base64'));
    const checked = execFileSync('openssl', ['ts', '-verify', '-data', sigFile, '-in', tokenFile, '-CAfile', pki.caCert, '-untrusted', pki.tsaCert], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    expect(checked).toContain('Verification: OK');
    const v = runCli([...verifyArgs(out, ['--tsa-cert', pki.caCert]), '--json']);
    expect(v.status, v.stdout).toBe(0);
    const sig = envelope<{ signature: { timeSource: string; signingTime: string; tsa: string } }>(v).result!.signature;
    expect(sig.timeSource).toBe('rfc3161');
    expect(sig.signingTime).toBe(stamped[0]);
    expect(sig.tsa).toContain('Good Test TSA');
    // the TSA certificate itself pinned also works; without --tsa-cert the token is not trusted, only reported
    expect(runCli(verifyArgs(out, ['--tsa-cert', pki.tsaCert])).status).toBe(0);
    const unchecked = runCli([...verifyArgs(out), '--json']);
    expect(unchecked.status).toBe(0);
    expect(envelope(unchecked).warnings.join('\n')).toMatch(/not checked \(no --tsa-cert given\)/);
  });

  it('tampered TRO: exit 5 SIGNATURE_SUBJECT_MISMATCH', () => {
    const out = join(scratch, 'tamper-tro.sigstore.json');
    sign(edKey, out);
    const copy = join(scratch, 'rr-tampered');
    cpSync(rr, copy, { recursive: true });
    appendFileSync(join(copy, 'run.trace.tro.jsonld'), ' ');
    const r = runCli(['verify', join(copy, 'run.trace.tro.jsonld'), '--signature', out, '--keychain', kc, '--root', rootId, '--json']);
    expect(r.status).toBe(5);
    expect(envelope(r).error?.code).toBe('SIGNATURE_SUBJECT_MISMATCH');
    expectOneLineError(runCli(['verify', join(copy, 'run.trace.tro.jsonld'), '--signature', out, '--keychain', kc, '--root', rootId]), 5, /signed subject sha256/);
  });

  it('tampered envelope (payload edited): exit 5 SIGNATURE_INVALID', () => {
    const out = join(scratch, 'tamper-env.sigstore.json');
    sign(edKey, out);
    const b = readBundle(out);
    const payload = Buffer.from(b.dsseEnvelope.payload, 'base64').toString('utf8').replace('"name": "signer-ed"', '"name": "Someone Else"');
    b.dsseEnvelope.payload = Buffer.from(payload).toString('base64');
    writeFileSync(out, JSON.stringify(b));
    expectOneLineError(runCli(verifyArgs(out)), 5, /DSSE signature does not verify/);
    expect(envelope(runCli([...verifyArgs(out), '--json'])).error?.code).toBe('SIGNATURE_INVALID');
  });

  it('wrong key (signed by one key, naming another in the keychain): exit 5 SIGNATURE_INVALID', () => {
    const out = join(scratch, 'wrong-key.sigstore.json');
    sign(stranger, out);
    const b = readBundle(out);
    const claimed = opensslKeyId(edKey.publicPem);
    b.verificationMaterial.publicKey.hint = claimed;
    b.dsseEnvelope.signatures[0]!.keyid = claimed;
    writeFileSync(out, JSON.stringify(b));
    const r = runCli([...verifyArgs(out), '--json']);
    expect(r.status).toBe(5);
    expect(envelope(r).error?.code).toBe('SIGNATURE_INVALID');
  });

  it('unknown key: exit 5 SIGNATURE_KEY_UNKNOWN', () => {
    const out = join(scratch, 'unknown.sigstore.json');
    sign(stranger, out);
    expectOneLineError(runCli(verifyArgs(out)), 5, /is not in the keychain/);
    expect(envelope(runCli([...verifyArgs(out), '--json'])).error?.code).toBe('SIGNATURE_KEY_UNKNOWN');
  });

  it('expired key (a past window recorded in the keychain): exit 5 SIGNATURE_KEY_EXPIRED', () => {
    const out = join(scratch, 'expired.sigstore.json');
    sign(expiredKey, out);
    expectOneLineError(runCli(verifyArgs(out)), 5, /expired at 2021-03-04T05:06:07Z/);
    expect(envelope(runCli([...verifyArgs(out), '--json'])).error?.code).toBe('SIGNATURE_KEY_EXPIRED');
  });

  it('revoked before the signature, with and without a timestamp: exit 5 SIGNATURE_KEY_REVOKED', () => {
    const plain = join(scratch, 'rb-plain.sigstore.json');
    const stamped = join(scratch, 'rb-stamped.sigstore.json');
    sign(revokedBefore, plain);
    sign(revokedBefore, stamped, ['--tsa', tsaUrl]);
    const kc2 = join(scratch, 'keychain-rb.json');
    cpSync(kc, kc2);
    const id = opensslKeyId(revokedBefore.publicPem);
    expect(runCli(['keychain', 'revoke', kc2, '--root-key', root.privatePem, '--key-id', id, '--at', '2020-06-01T00:00:00Z', '--reason', 'compromised']).status).toBe(0);
    for (const [bundle, extra] of [[plain, []], [stamped, ['--tsa-cert', pki.caCert]]] as const) {
      const r = runCli(['verify', tro, '--signature', bundle, '--keychain', kc2, '--root', rootId, ...extra, '--json']);
      expect(r.status).toBe(5);
      expect(envelope(r).error).toMatchObject({ code: 'SIGNATURE_KEY_REVOKED' });
      expect(envelope(r).error?.message).toMatch(/revoked at 2020-06-01T00:00:00Z \(compromised\)/);
    }
  });

  it('revoked after a timestamped signature: verifies and says revoked later; the untimestamped one fails', () => {
    const plain = join(scratch, 'ra-plain.sigstore.json');
    const stamped = join(scratch, 'ra-stamped.sigstore.json');
    sign(revokedAfter, plain);
    const genTime = envelope<{ timestamps: string[] }>(sign(revokedAfter, stamped, ['--tsa', tsaUrl])).result!.timestamps[0]!;
    // revoked one millisecond after the TSA's time: later than the signature, earlier than this verification
    const at = new Date(Date.parse(genTime) + 1).toISOString();
    const kc2 = join(scratch, 'keychain-ra.json');
    cpSync(kc, kc2);
    const id = opensslKeyId(revokedAfter.publicPem);
    expect(runCli(['keychain', 'revoke', kc2, '--root-key', root.privatePem, '--key-id', id, '--at', at, '--reason', 'rotated out']).status).toBe(0);
    const ok = runCli(['verify', tro, '--signature', stamped, '--keychain', kc2, '--root', rootId, '--tsa-cert', pki.caCert]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`key revoked later, at ${at} (rotated out)`);
    const bad = runCli(['verify', tro, '--signature', plain, '--keychain', kc2, '--root', rootId, '--json']);
    expect(bad.status).toBe(5);
    expect(envelope(bad).error?.code).toBe('SIGNATURE_KEY_REVOKED');
    expect(envelope(bad).error?.message).toContain('now (no verified timestamp)');
  });

  it('a timestamp from a TSA that does not chain to --tsa-cert: exit 5 TIMESTAMP_UNTRUSTED', () => {
    const out = join(scratch, 'untrusted.sigstore.json');
    sign(edKey, out, ['--tsa', tsaUrl]);
    expectOneLineError(runCli(verifyArgs(out, ['--tsa-cert', otherPki.caCert])), 5, /does not chain to a --tsa-cert certificate/);
    expect(envelope(runCli([...verifyArgs(out, ['--tsa-cert', otherPki.caCert]), '--json'])).error?.code).toBe('TIMESTAMP_UNTRUSTED');
  });

  it('a timestamp over another signature (moved between bundles): exit 5 TIMESTAMP_INVALID', () => {
    const a = join(scratch, 'ts-a.sigstore.json');
    const b = join(scratch, 'ts-b.sigstore.json');
    sign(edKey, a, ['--tsa', tsaUrl]);
    sign(pKey, b);
    const ba = readBundle(a);
    const bb = readBundle(b);
    bb.verificationMaterial.timestampVerificationData = ba.verificationMaterial.timestampVerificationData!;
    writeFileSync(b, JSON.stringify(bb));
    const r = runCli([...verifyArgs(b, ['--tsa-cert', pki.caCert]), '--json']);
    expect(r.status).toBe(5);
    expect(envelope(r).error).toMatchObject({ code: 'TIMESTAMP_INVALID' });
    expect(envelope(r).error?.message).toMatch(/imprint is not the sha256 of this signature/);
  });

  it('a broken keychain link (a version removed) or an edited version: exit 5 KEYCHAIN_BROKEN, refused whole', () => {
    const out = join(scratch, 'chain.sigstore.json');
    sign(edKey, out);
    const chain = JSON.parse(readFileSync(kc, 'utf8')) as { versions: { payload: string }[] };
    const cut = join(scratch, 'keychain-cut.json');
    writeFileSync(cut, JSON.stringify({ ...chain, versions: [chain.versions[0], ...chain.versions.slice(2)] }));
    const r = runCli(['verify', tro, '--signature', out, '--keychain', cut, '--root', rootId, '--json']);
    expect(r.status).toBe(5);
    expect(envelope(r).error?.code).toBe('KEYCHAIN_BROKEN');
    const edited = JSON.parse(readFileSync(kc, 'utf8')) as { versions: { payload: string }[] };
    const v = edited.versions[2]!;
    v.payload = Buffer.from(Buffer.from(v.payload, 'base64').toString('utf8').replace('"name": "signer-p256"', '"name": "mallory"')).toString('base64');
    const ed = join(scratch, 'keychain-edited.json');
    writeFileSync(ed, JSON.stringify(edited));
    expectOneLineError(runCli(['verify', tro, '--signature', out, '--keychain', ed, '--root', rootId]), 5, /keychain-edited\.json#\/versions\/2\/signatures: root signature/);
    expectOneLineError(runCli(['keychain', 'show', ed]), 5, /root signature/);
  });

  it('wrong root: exit 5 ROOT_MISMATCH', () => {
    const out = join(scratch, 'root.sigstore.json');
    sign(edKey, out);
    const r = runCli(['verify', tro, '--signature', out, '--keychain', kc, '--root', opensslKeyId(root2.publicPem), '--json']);
    expect(r.status).toBe(5);
    expect(envelope(r).error?.code).toBe('ROOT_MISMATCH');
    // a keychain made by another root, presented with our root: the same refusal
    const foreign = join(scratch, 'keychain-foreign.json');
    expect(runCli(['keychain', 'init', '--root-key', root2.privatePem, '--out', foreign]).status).toBe(0);
    expectOneLineError(runCli(['verify', tro, '--signature', out, '--keychain', foreign, '--root', rootId]), 5, /is not the trusted root/);
  });

  it('--root-dns reads keyid=<hex> from _pe-trace-root.DOMAIN on a loopback DNS server', () => {
    const out = join(scratch, 'dns.sigstore.json');
    sign(edKey, out);
    const base = ['verify', tro, '--signature', out, '--keychain', kc, '--dns-server', dnsServer];
    const ok = runCli([...base, '--root-dns', 'example.test']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`root ${rootId}`);
    const missing = runCli([...base, '--root-dns', 'nowhere.test', '--json']);
    expect(missing.status).toBe(5);
    expect(envelope(missing).error?.code).toBe('ROOT_DNS_FAILED');
  });

  it('rotate-root: the chain verifies under either root; a rotation not signed by the old root is refused', () => {
    const kc3 = join(scratch, 'keychain-rotated.json');
    cpSync(kc, kc3);
    const rot = runCli(['keychain', 'rotate-root', kc3, '--root-key', root.privatePem, '--new-root-key', root2.privatePem, '--json']);
    expect(rot.status, rot.stderr).toBe(0);
    expect(envelope<{ root: string; roots: string[] }>(rot).result).toMatchObject({ root: opensslKeyId(root2.publicPem), roots: [rootId, opensslKeyId(root2.publicPem)] });
    const out = join(scratch, 'rot.sigstore.json');
    sign(edKey, out);
    for (const anchor of [rootId, opensslKeyId(root2.publicPem)]) {
      expect(runCli(['verify', tro, '--signature', out, '--keychain', kc3, '--root', anchor]).status).toBe(0);
    }
    // the old root can no longer change the keychain
    const stale = runCli(['keychain', 'add-key', kc3, '--root-key', root.privatePem, '--public-key', stranger.publicPem, '--json']);
    expect(stale.status).toBe(5);
    expect(envelope(stale).error?.code).toBe('ROOT_MISMATCH');
    // drop the old root's signature from the rotation version: refused whole
    const chain = JSON.parse(readFileSync(kc3, 'utf8')) as { versions: { signatures: { keyid: string }[] }[] };
    const last = chain.versions[chain.versions.length - 1]!;
    last.signatures = last.signatures.filter((s) => s.keyid !== rootId);
    const forged = join(scratch, 'keychain-forged.json');
    writeFileSync(forged, JSON.stringify(chain));
    const r = runCli(['verify', tro, '--signature', out, '--keychain', forged, '--root', opensslKeyId(root2.publicPem), '--json']);
    expect(r.status).toBe(5);
    expect(envelope(r).error?.code).toBe('KEYCHAIN_BROKEN');
  });

  it.skipIf(!HAVE_GPG)('--format tro-utils: gpg --verify accepts the .sig over json.dumps(indent=2, sort_keys=True); openssl ts -verify accepts the .tsr (skipped: gpg is not installed, Debian package gnupg)', () => {
    const dir = join(scratch, 'tro-utils');
    cpSync(rr, dir, { recursive: true });
    const file = join(dir, 'run.trace.tro.jsonld');
    const r = runCli(['sign', file, '--key', edKey.privatePem, '--format', 'tro-utils', '--name', 'PolicyEngine <trace@example.org>', '--tsa', tsaUrl]);
    expect(r.status, r.stderr).toBe(0);
    // what tro-utils signs, computed by Python itself, not by our canonical writer
    const py = 'import json,sys; sys.stdout.write(json.dumps(json.load(open(sys.argv[1])), indent=2, sort_keys=True))';
    const declaration = join(dir, 'declaration.json');
    writeFileSync(declaration, execFileSync('python3', ['-c', py, file]));
    const home = mkdtempSync(join(tmpdir(), 'pe-trace-gnupg-'));
    try {
      const gpg = (args: string[]): string => execFileSync('gpg', ['--homedir', home, '--batch', '--status-fd', '1', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
      gpg(['--import', join(dir, 'run.trace.tro.pub.asc')]);
      expect(gpg(['--verify', join(dir, 'run.trace.tro.sig'), declaration])).toMatch(/\[GNUPG:\] GOODSIG [0-9A-F]{16} PolicyEngine <trace@example.org>/);
      appendFileSync(declaration, ' ');
      expect(() => gpg(['--verify', join(dir, 'run.trace.tro.sig'), declaration])).toThrow();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    // the .tsr covers tro-utils' digest object, rebuilt here in Python from the files
    const tsData = join(dir, 'ts-data.json');
    const pyTs = [
      'import json,hashlib,sys',
      'd=json.dumps(json.load(open(sys.argv[1])), indent=2, sort_keys=True).encode()',
      's=open(sys.argv[2],"rb").read()',
      'sys.stdout.write(json.dumps({"tro_declaration": hashlib.sha512(d).hexdigest(), "trs_signature": hashlib.sha512(s).hexdigest()}, indent=2, sort_keys=True))',
    ].join('\n');
    writeFileSync(tsData, execFileSync('python3', ['-c', pyTs, file, join(dir, 'run.trace.tro.sig')]));
    const ok = execFileSync('openssl', ['ts', '-verify', '-data', tsData, '-in', join(dir, 'run.trace.tro.tsr'), '-CAfile', pki.caCert, '-untrusted', pki.tsaCert], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    expect(ok).toContain('Verification: OK');
    // a P-256 key has no tro-utils (OpenPGP EdDSA) form
    expectOneLineError(runCli(['sign', file, '--key', pKey.privatePem, '--format', 'tro-utils']), 3, /needs an Ed25519 key/);
  });

  it('two --tsa give two timestamps; an unreachable or failing TSA refuses the signature and writes nothing (exit 3)', () => {
    const two = join(scratch, 'two-ts.sigstore.json');
    const r = sign(edKey, two, ['--tsa', tsaUrl, '--tsa', tsaUrl]);
    expect(envelope<{ timestamps: string[] }>(r).result!.timestamps).toHaveLength(2);
    expect(readBundle(two).verificationMaterial.timestampVerificationData!.rfc3161Timestamps).toHaveLength(2);
    expect(runCli(verifyArgs(two, ['--tsa-cert', pki.caCert])).status).toBe(0);
    const out = join(scratch, 'no-tsa.sigstore.json');
    expectOneLineError(runCli(['sign', tro, '--key', edKey.privatePem, '--out', out, '--tsa', 'http://127.0.0.1:1/tsr']), 3, /timestamp authority http:\/\/127\.0\.0\.1:1/);
    expect(existsSync(out)).toBe(false);
    expectOneLineError(runCli(['sign', tro, '--key', edKey.privatePem, '--out', out, '--tsa', 'ftp://127.0.0.1/tsr']), 2, /only http:\/\/ and https:\/\//);
    expect(existsSync(out)).toBe(false);
  });

  it('a key whose window has not started yet: exit 5 SIGNATURE_KEY_EXPIRED', () => {
    const future = makeKey(scratch, 'future', 'ed25519');
    const kc2 = join(scratch, 'keychain-future.json');
    cpSync(kc, kc2);
    expect(runCli(['keychain', 'add-key', kc2, '--root-key', root.privatePem, '--public-key', future.publicPem, '--not-before', '2999-01-01T00:00:00Z']).status).toBe(0);
    const out = join(scratch, 'future.sigstore.json');
    sign(future, out);
    expectOneLineError(runCli(['verify', tro, '--signature', out, '--keychain', kc2, '--root', rootId]), 5, /is not valid before 2999-01-01T00:00:00Z/);
  });

  it('--root-dns naming another root: exit 5 ROOT_MISMATCH', async () => {
    const other = await startServer('dns-server.mjs', ['_pe-trace-root.other.test', `keyid=${opensslKeyId(root2.publicPem)}`]);
    children.push(other.child);
    const out = join(scratch, 'dns-wrong.sigstore.json');
    sign(edKey, out);
    const r = runCli(['verify', tro, '--signature', out, '--keychain', kc, '--root-dns', 'other.test', '--dns-server', `127.0.0.1:${other.port}`, '--json']);
    expect(r.status).toBe(5);
    expect(envelope(r).error?.code).toBe('ROOT_MISMATCH');
  });

  it('keychain show, and refusals: init over an existing file, a bad time, a non-PKCS#8 key', () => {
    const s = runCli(['keychain', 'show', kc, '--json']);
    expect(s.status).toBe(0);
    const summary = envelope<{ version: number; root: string; keys: { name: string }[] }>(s).result!;
    expect(summary.version).toBe(6);
    expect(summary.root).toBe(rootId);
    expect(summary.keys.map((k) => k.name)).toEqual(['PolicyEngine signing key', 'signer-p256', 'expired', 'revoked-before', 'revoked-after']);
    expectOneLineError(runCli(['keychain', 'init', '--root-key', root.privatePem, '--out', kc]), 2, /never overwrites/);
    expectOneLineError(runCli(['keychain', 'revoke', kc, '--root-key', root.privatePem, '--key-id', 'x', '--at', '2021-03-04 05:06', '--reason', 'r']), 2, /ISO 8601 time with a zone/);
    const bogus = join(scratch, 'bogus.pem');
    writeFileSync(bogus, 'not a key\n');
    expectOneLineError(runCli(['sign', tro, '--key', bogus]), 3, /bogus\.pem: not an unencrypted PKCS#8 PEM private key/);
    const rsa = join(scratch, 'rsa.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', rsa], { stdio: 'ignore' });
    expectOneLineError(runCli(['sign', tro, '--key', rsa]), 3, /unsupported key type rsa/);
    expectOneLineError(runCli(['verify', tro, '--signature', kc, '--keychain', kc, '--root', rootId]), 5, /expected mediaType application\/vnd\.dev\.sigstore\.bundle\.v0\.3\+json/);
    expectOneLineError(runCli(['verify', tro, '--signature', kc, '--keychain', kc]), 2, /exactly one trust anchor/);
  });
});
