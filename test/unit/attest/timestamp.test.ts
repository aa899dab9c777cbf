// RFC 3161 verification in-process against tokens made by `openssl ts -reply` (no server): the imprint rule, the
// chain to --tsa-cert (pinned leaf or CA), and a chain through a certificate that is not a CA refused.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCertificates, verifyTimestampResponse } from '../../../src/index.js';
import { HAVE_OPENSSL, makeTsaPki } from '../../support/attest-pki.js';

const dir = mkdtempSync(join(tmpdir(), 'pe-trace-ts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const certs = (path: string) => parseCertificates(readFileSync(path, 'utf8'), path);
const openssl = (args: string[], cwd: string): void => {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
};

/** A TimeStampResp from `openssl ts -reply` with `config` over sha256(data). */
function stamp(config: string, data: Buffer, name: string): Buffer {
  const dataFile = join(dir, `${name}.data`);
  writeFileSync(dataFile, data);
  openssl(['ts', '-query', '-data', dataFile, '-sha256', '-cert', '-out', join(dir, `${name}.tsq`)], dir);
  openssl(['ts', '-reply', '-config', config, '-queryfile', join(dir, `${name}.tsq`), '-out', join(dir, `${name}.tsr`)], dir);
  return readFileSync(join(dir, `${name}.tsr`));
}

describe.skipIf(!HAVE_OPENSSL)('verifyTimestampResponse (skipped: openssl is not installed)', () => {
  it('accepts a token over sha256(signature) chaining to the CA or pinning the TSA certificate; refuses others', () => {
    const pki = makeTsaPki(join(dir, 'good'), 'Unit');
    const sig = Buffer.from('signature bytes');
    const reply = stamp(pki.config, sig, 'a');
    const viaCa = verifyTimestampResponse(reply, sig, certs(pki.caCert), 'b');
    expect(viaCa.tsa).toContain('Unit Test TSA');
    expect(Math.abs(viaCa.time.getTime() - Date.now())).toBeLessThan(24 * 3600 * 1000);
    expect(verifyTimestampResponse(reply, sig, certs(pki.tsaCert), 'b').time).toEqual(viaCa.time);
    expect(() => verifyTimestampResponse(reply, Buffer.from('other bytes'), certs(pki.caCert), 'b')).toThrow(expect.objectContaining({ code: 'TIMESTAMP_INVALID' }));
    const other = makeTsaPki(join(dir, 'other'), 'Other');
    expect(() => verifyTimestampResponse(reply, sig, certs(other.caCert), 'b')).toThrow(expect.objectContaining({ code: 'TIMESTAMP_UNTRUSTED' }));
    // one flipped bit in the CMS signature value (the reply's last bytes: no unsigned attributes): never accepted
    for (let at = reply.length - 60; at < reply.length; at += 3) {
      const bad = Buffer.from(reply);
      bad[at] = bad[at]! ^ 0x01;
      expect(() => verifyTimestampResponse(bad, sig, certs(pki.caCert), 'b')).toThrow(expect.objectContaining({ code: 'TIMESTAMP_INVALID' }));
    }
  });

  it('refuses a chain through an issuer that is not a CA certificate', () => {
    const d = join(dir, 'fake');
    const good = makeTsaPki(d, 'Fake');
    // a leaf (CA:FALSE) under the real CA, which then "issues" the TSA certificate
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    openssl(['req', '-new', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=Not A CA'], d);
    writeFileSync(join(d, 'leaf-ext.cnf'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyCertSign\n');
    openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.crt', '-days', '2', '-extfile', 'leaf-ext.cnf'], d);
    openssl(['x509', '-req', '-in', 'tsa.csr', '-CA', 'leaf.crt', '-CAkey', 'leaf.key', '-CAcreateserial', '-out', 'tsa.crt', '-days', '2', '-extfile', 'tsa-ext.cnf'], d);
    writeFileSync(join(d, 'ca.crt.chain'), readFileSync(join(d, 'leaf.crt')));
    writeFileSync(good.config, readFileSync(good.config, 'utf8').replace('certs = $dir/ca.crt', 'certs = $dir/ca.crt.chain'));
    const sig = Buffer.from('sig');
    const reply = stamp(good.config, sig, 'fake');
    expect(() => verifyTimestampResponse(reply, sig, certs(good.caCert), 'b')).toThrow(expect.objectContaining({ code: 'TIMESTAMP_UNTRUSTED' }));
  });
});
