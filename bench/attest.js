// Benchmark (bench/run.js attest): `sign` and signature `verify` of the generated run record (library calls, no TSA round trip), CPU ms per
// operation, as ratios against a bare node:crypto Ed25519 sign / verify of the same TRO bytes in the same process.
import { generateKeyPairSync, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt } from './lib.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = await import(join(ROOT, 'dist', 'src', 'index.js'));
const TRO = join(ROOT, 'fixtures', 'policyengine-py', 'generated', 'run-record', 'run.trace.tro.jsonld');
const BUDGET_MS = 20;

/** CPU milliseconds (user + system) per call of `fn`, over `n` calls after `n / 10` warm-up calls. */
async function cpuPerOp(n, fn) {
  for (let i = 0; i < Math.max(1, n / 10); i++) await fn();
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}

const pem = (k) => k.export({ type: 'pkcs8', format: 'pem' });
const root = lib.loadSigningKey(pem(generateKeyPairSync('ed25519').privateKey), 'root');
const results = [];
for (const type of ['ed25519', 'p256']) {
  const pair = type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const key = lib.loadSigningKey(pem(pair.privateKey), 'signer');
  let chain = lib.initKeychain(root);
  chain = lib.addKey(chain, root, key.publicKey, { name: 'bench', notBefore: null, notAfter: null }, 'kc');
  const keychainBytes = lib.keychainBytes(chain);
  const troBytes = readFileSync(TRO);
  const algo = type === 'ed25519' ? null : 'sha256';
  let bundleBytes;
  const signMs = await cpuPerOp(200, async () => {
    // as `sign` does: parse the TRO and read its model (for the fingerprint), then sign
    const signed = await lib.signTro({ troBytes, troPath: TRO, model: lib.readTroModel(lib.parseJson(troBytes)), key, signerName: 'bench' });
    bundleBytes = signed.bytes;
  });
  const verifyMs = await cpuPerOp(200, () => {
    lib.verifyTroSignature({
      troBytes, troLabel: 'tro', bundleBytes, bundleLabel: 'b', keychainBytes, keychainLabel: 'kc', rootKeyIds: [root.publicKey.keyid], tsaCertificates: [], now: new Date(),
    });
  });
  const refSig = cryptoSign(algo, troBytes, pair.privateKey);
  const refSignMs = await cpuPerOp(200, () => cryptoSign(algo, troBytes, pair.privateKey));
  const refVerifyMs = await cpuPerOp(200, () => cryptoVerify(algo, troBytes, pair.publicKey, refSig));
  results.push({ type, signMs, verifyMs, refSignMs, refVerifyMs });
}
for (const r of results) {
  const ok = (ms) => (ms <= BUDGET_MS ? `within the ${BUDGET_MS} ms budget` : `OVER the ${BUDGET_MS} ms budget`);
  console.log(`attest ${r.type}: sign ${fmt(r.signMs, 2)} ms CPU (${fmt(r.signMs / r.refSignMs, 1)}x a node:crypto sign of the TRO bytes; ${ok(r.signMs)}), ` +
    `verify ${fmt(r.verifyMs, 2)} ms CPU (${fmt(r.verifyMs / r.refVerifyMs, 1)}x a node:crypto verify; ${ok(r.verifyMs)})`);
}
