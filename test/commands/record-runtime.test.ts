// `pe-trace record --runtime-from-env`: the observed runtime bound as a hashed runtime.json and typed pe: terms,
// required by the run shapes once a record claims a hosted origin, carried into a signature; nothing is invented.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, envelope, expectOneLineError, runCli } from '../support/cli.js';
import { makeKey } from '../support/attest-pki.js';

const RUN = join(FIXTURES, 'policyengine-py', 'generated', 'run-record');
const scratch = mkdtempSync(join(tmpdir(), 'pe-trace-record-runtime-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An environment with no host variables at all (the test runner's own may be GitHub Actions or Kubernetes). */
const NO_HOST = { GITHUB_ACTIONS: '', KUBERNETES_SERVICE_HOST: '', K_SERVICE: '', K_REVISION: '', CLOUD_RUN_JOB: '', CLOUD_RUN_EXECUTION: '', CONTAINER_IMAGE_DIGEST: '', CLOUD_REGION: '', PYTHON_VERSION: '' };
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const CLOUD_RUN = { ...NO_HOST, K_SERVICE: 'policyengine-api', K_REVISION: 'policyengine-api-00042-xyz', CONTAINER_IMAGE_DIGEST: DIGEST, CLOUD_REGION: 'us-central1', PYTHON_VERSION: '3.12.4' };

function recordArgs(out: string, extra: readonly string[]): string[] {
  return ['record', '--bundle-tro', join(RUN, 'bundle.trace.tro.jsonld'), '--input', join(RUN, 'input.json'), '--results', join(RUN, 'results.json'),
    '--simulation-id', 'run-1', '--created-at', '2026-06-12T00:00:00Z', '--emitted-in', 'policyengine-api', '--out', out, ...extra];
}

type Node = Record<string, unknown>;
const performanceOf = (tro: string): Node => {
  const doc = JSON.parse(readFileSync(tro, 'utf8')) as { '@graph': Node[] };
  return (doc['@graph'][0]!['trov:hasPerformance'] as Node[] | Node) instanceof Array ? (doc['@graph'][0]!['trov:hasPerformance'] as Node[])[0]! : (doc['@graph'][0]!['trov:hasPerformance'] as Node);
};

describe('pe-trace record --runtime-from-env', () => {
  it('binds what Cloud Run documents (plus lockfile and packages): runtime.json hashed, typed pe: terms, shapes conform, verify ok', () => {
    const out = join(scratch, 'cloud-run');
    const lock = join(scratch, 'uv.lock');
    writeFileSync(lock, 'version = 1\n');
    const pkgs = join(scratch, 'freeze.txt');
    writeFileSync(pkgs, 'policyengine-us==1.2.3\n# comment\nnumpy==2.0.0\n');
    const r = runCli(recordArgs(out, ['--runtime-from-env', '--lockfile', lock, '--packages', pkgs]), { env: CLOUD_RUN });
    expect(r.status, r.stderr).toBe(0);
    const runtime = JSON.parse(readFileSync(join(out, 'runtime.json'), 'utf8')) as Record<string, string>;
    expect(runtime).toEqual({
      runtimeHost: 'cloud-run', service: 'policyengine-api', serviceRevision: 'policyengine-api-00042-xyz', containerImageSha: DIGEST,
      cloudRegion: 'us-central1', interpreterVersion: 'python 3.12.4', lockfileSha256: createHash('sha256').update('version = 1\n').digest('hex'),
      packageVersions: 'numpy==2.0.0\npolicyengine-us==1.2.3',
    });
    // nothing unobserved is claimed: Cloud Run services expose no instance id in the environment
    expect(runtime['instanceId']).toBeUndefined();
    const perf = performanceOf(join(out, 'run.trace.tro.jsonld'));
    expect(perf).toMatchObject({ 'pe:runtimeHost': 'cloud-run', 'pe:service': 'policyengine-api', 'pe:containerImageSha': DIGEST, 'pe:lockfileSha256': runtime['lockfileSha256'] });
    const shacl = runCli(['shacl-validate', join(out, 'run.trace.tro.jsonld'), '--profile', 'run']);
    expect(shacl.status, shacl.stdout + shacl.stderr).toBe(0);
    expect(runCli(['verify', join(out, 'run.trace.tro.jsonld')]).status).toBe(0);
    // and a signature carries the runtime artifact's sha256 in its predicate
    const key = makeKey(scratch, 'k', 'ed25519');
    expect(runCli(['sign', join(out, 'run.trace.tro.jsonld'), '--key', key.privatePem]).status).toBe(0);
    const bundle = JSON.parse(readFileSync(join(out, 'run.trace.tro.jsonld.sigstore.json'), 'utf8')) as { dsseEnvelope: { payload: string } };
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as { predicate: { runtime: { sha256: string } } };
    expect(statement.predicate.runtime.sha256).toBe(createHash('sha256').update(readFileSync(join(out, 'runtime.json'))).digest('hex'));
  });

  it('a hosted claim without service or instance does not conform to the run shapes (exit 4)', () => {
    const out = join(scratch, 'bare-claim');
    const env = join(scratch, 'env.json');
    writeFileSync(env, '{"runtimeHost": "cloud-run"}');
    expect(runCli(recordArgs(out, ['--runtime-env', env])).status).toBe(0);
    const r = runCli(['shacl-validate', join(out, 'run.trace.tro.jsonld'), '--profile', 'run']);
    expect(r.status).toBe(4);
    expect(r.stdout + r.stderr).toMatch(/must name the service \(pe:service\) or the instance \(pe:instanceId\)/);
  });

  it('GitHub Actions and Kubernetes downward-API variables', () => {
    const gh = join(scratch, 'gh');
    const r = runCli(recordArgs(gh, ['--runtime-from-env']), { env: { ...NO_HOST, GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'o/r', GITHUB_WORKFLOW: 'ci', GITHUB_SHA: 'c0ffee', GITHUB_RUN_ID: '7', GITHUB_RUN_ATTEMPT: '2' } });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(gh, 'runtime.json'), 'utf8'))).toEqual({ runtimeHost: 'github-actions', service: 'o/r:ci', serviceRevision: 'c0ffee', instanceId: '7/2' });
    const k8s = join(scratch, 'k8s');
    const k = runCli(recordArgs(k8s, ['--runtime-from-env']), { env: { ...NO_HOST, KUBERNETES_SERVICE_HOST: '10.0.0.1', POD_NAME: 'api-5d9', POD_NAMESPACE: 'prod', APP_NAME: 'api', APP_VERSION: '1.4.0' } });
    expect(k.status, k.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(k8s, 'runtime.json'), 'utf8'))).toMatchObject({ runtimeHost: 'kubernetes', service: 'api', serviceRevision: '1.4.0', instanceId: 'prod/api-5d9' });
  });

  it('refuses to claim a runtime it did not observe, and conflicting sources', () => {
    expectOneLineError(runCli(recordArgs(join(scratch, 'none'), ['--runtime-from-env']), { env: NO_HOST }), 2, /no supported host detected/);
    const env = join(scratch, 'clash.json');
    writeFileSync(env, '{"service": "forged"}');
    const r = runCli(recordArgs(join(scratch, 'clash'), ['--runtime-from-env', '--runtime-env', env, '--json']), { env: CLOUD_RUN });
    expect(r.status).toBe(2);
    expect(envelope(r).error?.message).toMatch(/--runtime-env sets service/);
    expect(runCli(recordArgs(join(scratch, 'bad-digest'), ['--runtime-from-env']), { env: { ...CLOUD_RUN, CONTAINER_IMAGE_DIGEST: 'latest' } }).status).toBe(2);
  });
});
