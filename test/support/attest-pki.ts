// Test PKI for signatures: keys made with node:crypto, a CA and a TSA certificate made with openssl, and the loopback
// TSA (test/support/tsa-server.mjs) and DNS (test/support/dns-server.mjs) servers as real child processes.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.js';

/** Whether `openssl` runs here (the tests needing it skip with this reason otherwise). */
export const HAVE_OPENSSL = spawnSync('openssl', ['version']).status === 0;
/** Whether GnuPG runs here (Debian package gnupg; .ci/run installs it). */
export const HAVE_GPG = spawnSync('gpg', ['--version']).status === 0;

export interface KeyFiles {
  readonly privatePem: string;
  readonly publicPem: string;
}

/** A fresh key pair written as PKCS#8 / SPKI PEM files `<name>.pem` and `<name>.pub.pem`. */
export function makeKey(dir: string, name: string, type: 'ed25519' | 'p256'): KeyFiles {
  const pair = type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const privatePem = join(dir, `${name}.pem`);
  const publicPem = join(dir, `${name}.pub.pem`);
  writeFileSync(privatePem, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(publicPem, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  return { privatePem, publicPem };
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface Pki {
  readonly caCert: string;
  readonly tsaCert: string;
  readonly config: string;
}

/** A CA and a TSA certificate (EKU timeStamping, critical) under `dir`, plus the openssl ts config to serve it. */
export function makeTsaPki(dir: string, name: string): Pki {
  mkdirSync(dir, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', `/CN=${name} Test CA`, '-days', '3',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'], dir);
  openssl(['req', '-new', ...ec, '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', `/CN=${name} Test TSA`], dir);
  writeFileSync(join(dir, 'tsa-ext.cnf'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n');
  openssl(['x509', '-req', '-in', 'tsa.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tsa.crt', '-days', '2', '-extfile', 'tsa-ext.cnf'], dir);
  writeFileSync(join(dir, 'tsaserial'), '01\n');
  const config = join(dir, 'tsa.cnf');
  writeFileSync(config, [
    '[ tsa ]', 'default_tsa = tsa_config1', '[ tsa_config1 ]', `dir = ${dir}`, 'serial = $dir/tsaserial', 'crypto_device = builtin',
    'signer_cert = $dir/tsa.crt', 'certs = $dir/ca.crt', 'signer_key = $dir/tsa.key', 'signer_digest = sha256', 'default_policy = 1.2.3.4.1',
    'other_policies = 1.2.3.4.5.6', 'digests = sha256, sha384, sha512', 'accuracy = secs:1', 'ordering = yes', 'tsa_name = yes',
    'ess_cert_id_chain = no', 'ess_cert_id_alg = sha256', '',
  ].join('\n'));
  return { caCert: join(dir, 'ca.crt'), tsaCert: join(dir, 'tsa.crt'), config };
}

/** Starts a test server script and resolves with the port it prints on its first stdout line. */
export function startServer(script: string, args: readonly string[]): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'test', 'support', script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) resolve({ port: Number(line), child });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${String(code)} before listening`)));
    child.on('error', reject);
  });
}
