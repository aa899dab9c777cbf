// Dev-only second oracle (not run by the suite; @sigstore packages are not dependencies): verifies a pe-trace
// `.sigstore.json` with @sigstore/bundle@4 + @sigstore/verify@3 — the bundle parses as v0.3, the DSSE signature
// verifies with the given public key, and with TSA certificates (leaf first) its RFC 3161 timestamp is checked too.
// Usage: NODE_PATH=<dir with node_modules> node test/oracle/sigstore-verify.mjs BUNDLE PUBLIC_KEY_PEM [TSA_CERT_PEM CA_CERT_PEM]
import { readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(`${process.env.NODE_PATH ?? process.cwd()}/`);
const { bundleFromJSON } = require('@sigstore/bundle');
const { Verifier, toSignedEntity } = require('@sigstore/verify');
const { X509Certificate } = require('@sigstore/core');

const [bundlePath, keyPath, tsaPath, caPath] = process.argv.slice(2);
const bundle = bundleFromJSON(JSON.parse(readFileSync(bundlePath, 'utf8')));
const key = createPublicKey(readFileSync(keyPath));
const always = { start: new Date(0), end: new Date(8.64e15) };
const trust = {
  certificateAuthorities: [],
  timestampAuthorities: tsaPath === undefined ? [] : [{ certChain: [tsaPath, caPath].map((p) => X509Certificate.parse(readFileSync(p, 'utf8'))), validFor: always }],
  tlogs: [],
  ctlogs: [],
  publicKey: () => ({ publicKey: key, validFor: () => true }),
};
const verifier = new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: tsaPath === undefined ? 0 : 1 });
const signer = verifier.verify(toSignedEntity(bundle));
console.log(`sigstore-verify: ok (${bundle.mediaType}, key hint ${signer.key ? 'matched' : '?'}${tsaPath === undefined ? '' : ', RFC 3161 timestamp verified'})`);
