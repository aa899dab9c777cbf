// `pe-trace certify`: certifies a data release for a model version and rewrites the bundle manifest entry (policyengine.py's certify script).
import { Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import {
  DEFAULT_REGIONAL_PATH_TEMPLATE,
  DEFAULT_REGIONAL_PREFIX,
  EXIT,
  HF_HUB,
  PYPI_BASE,
  PeTraceError,
  certificationDiff,
  certificationSummary,
  certifyDataRelease,
  planCertification,
  createNodeHttpClient,
  isLoopbackHost,
  readDocumentFile,
} from '../src/index.js';
import type { CertificationResult } from '../src/index.js';

interface CertifyResult {
  readonly country: string;
  readonly bundle_id: string;
  readonly build_id: string;
  readonly default_dataset: string;
  readonly dataset_count: number;
  readonly manifest_sha256: string;
  /** `pkg==version`. */
  readonly model: string;
  readonly basis: string;
  readonly warnings: readonly string[];
  /** The file written (the bundle manifest, or --out) as named on the command line; null with --dry-run. */
  readonly wrote: string | null;
  /** With --dry-run: the change as unified diff lines of the canonical bundle manifest (empty: no change). */
  readonly diff?: readonly string[];
}

/** Token variables read by default, in order (policyengine.py's certification script reads both). */
const DEFAULT_TOKEN_ENVS = ['HUGGING_FACE_TOKEN', 'HF_TOKEN'] as const;

export default class Certify extends BaseCommand<CertifyResult> {
  static override summary = 'Certify a data release for a model version and write it into the bundle manifest.';
  static override description =
    'Fetches the data release manifest (hf://dataset|model/<owner>/<repo>@<revision>/<path>), or reads a local copy ' +
    '(then --source-uri names where it is published), and applies policyengine.py\'s certification rules: a national ' +
    'default that is an artifact, every artifact pinned to a revision, and a compatibility basis (built with this model ' +
    'version; a matching --data-build-fingerprint; or the publisher\'s PEP 440 claim, with a warning). The manifest must ' +
    'also fit pe-trace\'s schema and SHACL shapes. The certified dataset (and, for populace-us, every vendored dataset ' +
    'and the supplemental us_source_coverage.json) must answer a HEAD. The wheel pin comes from PyPI. Then ' +
    'data_releases.<cc> is replaced, countries.<cc>.model_package set and the package pin moved, and the bundle is ' +
    'written canonically and atomically (to --out FILE instead, leaving the bundle untouched; parents created); on any ' +
    'failure nothing is written. --dry-run writes nothing and prints the change as a unified diff of the canonical bundle ' +
    'manifest (the summary goes to stderr). Offline certification: give the manifest as a local FILE (with --source-uri), ' +
    '--skip-artifact-check and --skip-pypi; then no request is made at all (no HEAD, no PyPI). Exit 0 certified, 4 refused, ' +
    '3 bad input, 2 usage. The Hugging Face token is read from --token-env (default HUGGING_FACE_TOKEN, then HF_TOKEN).';

  static override examples = [
    '<%= config.bin %> certify --country uk --manifest-uri hf://model/policyengine/policyengine-uk-data-private@2966541f/releases/1.56.16/release_manifest.json --model-version 2.90.2 --bundle manifest.json',
    '<%= config.bin %> certify --country us --data-producer populace --manifest-uri release_manifest.json --source-uri hf://dataset/policyengine/populace-us@<tag>/releases/<tag>/release_manifest.json --model-version 1.764.6 --bundle manifest.json --skip-artifact-check',
    '<%= config.bin %> certify --country uk --manifest-uri release_manifest.json --source-uri hf://model/policyengine/policyengine-uk-data-private@2966541f/releases/1.56.16/release_manifest.json --model-version 2.90.2 --bundle manifest.json --skip-artifact-check --skip-pypi --dry-run',
    '<%= config.bin %> certify --country uk --manifest-uri hf://model/policyengine/policyengine-uk-data-private@2966541f/releases/1.56.16/release_manifest.json --model-version 2.90.2 --bundle manifest.json --out certified/manifest.json',
  ];

  static override flags = {
    country: Flags.string({ description: 'Country to certify (us or uk).', required: true }),
    'manifest-uri': Flags.string({ description: 'The data release manifest: hf://dataset|model/<repo>@<revision>/<path>, or a local FILE.', required: true }),
    'source-uri': Flags.string({ description: 'With a local FILE: the hf:// manifest URI where it is published (recorded in the bundle).' }),
    'model-version': Flags.string({ description: 'The country model version to certify the data for.', required: true }),
    bundle: Flags.string({ description: 'The bundle manifest to rewrite (policyengine.py data/bundle/manifest.json).', required: true }),
    'data-producer': Flags.option({ options: ['populace', 'legacy'] as const, description: 'Certification strategy (default: populace for uk, legacy for us; legacy is refused).' })(),
    'regional-manifest-uri': Flags.string({ description: 'US only: a second manifest whose 51 state artifacts are validated and merged.' }),
    'regional-artifact-prefix': Flags.string({ description: 'Prefix of the regional state artifacts.', default: DEFAULT_REGIONAL_PREFIX }),
    'regional-path-template': Flags.string({ description: 'Path template recorded for the state region.', default: DEFAULT_REGIONAL_PATH_TEMPLATE }),
    'skip-artifact-check': Flags.boolean({ description: 'Do not HEAD anything on the hub: the certified and vendored dataset artifacts, the supplemental us_source_coverage.json.', default: false }),
    'dry-run': Flags.boolean({ description: 'Write nothing: print the change to the bundle manifest as a unified diff of its canonical form.', default: false, exclusive: ['out'] }),
    out: Flags.string({ description: 'Write the certified bundle manifest to this file (parents created, atomic) and leave --bundle untouched.' }),
    'data-build-fingerprint': Flags.string({ description: "The model version's data-build fingerprint (sha256:<hex>): certifies data built with another version whose fingerprint matches." }),
    'hub-url': Flags.string({ description: `Base replacing ${HF_HUB} for requests (https, or http on loopback for tests).` }),
    'pypi-url': Flags.string({ description: `Base of the PyPI JSON API (default ${PYPI_BASE}).` }),
    'skip-pypi': Flags.boolean({ description: "Do not ask PyPI for the wheel; keep the bundle's pin when it is for this version.", default: false }),
    'token-env': Flags.string({ description: 'Environment variable holding the Hugging Face token (default HUGGING_FACE_TOKEN, then HF_TOKEN).' }),
  };

  protected async exec(): Promise<Outcome<CertifyResult>> {
    const { flags } = await this.parse(Certify);
    const hubUrl = baseUrl(flags['hub-url'], '--hub-url');
    const pypiUrl = baseUrl(flags['pypi-url'], '--pypi-url');
    const loopback = [hubUrl, pypiUrl].some((u) => u !== undefined && u.startsWith('http:'));
    const manifestArg = flags['manifest-uri'];
    const local = !manifestArg.startsWith('hf://');
    if (local && flags['source-uri'] === undefined) {
      throw new PeTraceError('USAGE', `--manifest-uri ${manifestArg} is a local file: give --source-uri hf://dataset|model/<repo>@<revision>/<path>, where it is published`);
    }
    if (!local && flags['source-uri'] !== undefined) throw new PeTraceError('USAGE', '--source-uri goes with a local --manifest-uri FILE only');
    const manifestBytes = local ? await readDocumentFile(manifestArg, { label: manifestArg }) : undefined;
    const token = readToken(flags['token-env']);
    const options = {
      country: flags.country,
      manifestUri: local ? (flags['source-uri'] ?? '') : manifestArg,
      ...(manifestBytes === undefined ? {} : { manifestBytes, manifestLabel: manifestArg }),
      modelVersion: flags['model-version'],
      bundlePath: flags.bundle,
      bundleLabel: flags.bundle,
      ...(flags['data-producer'] === undefined ? {} : { dataProducer: flags['data-producer'] }),
      ...(token === undefined ? {} : { token }),
      checkArtifacts: !flags['skip-artifact-check'],
      ...(flags['regional-manifest-uri'] === undefined ? {} : { regionalManifestUri: flags['regional-manifest-uri'] }),
      regionalArtifactPrefix: flags['regional-artifact-prefix'],
      regionalPathTemplate: flags['regional-path-template'],
      ...(flags['data-build-fingerprint'] === undefined ? {} : { dataBuildFingerprint: flags['data-build-fingerprint'] }),
      http: createNodeHttpClient({ allowLoopbackHttp: loopback }),
      ...(hubUrl === undefined ? {} : { hubUrl }),
      ...(pypiUrl === undefined ? {} : { pypiUrl }),
      skipPypi: flags['skip-pypi'],
      ...(flags.out === undefined ? {} : { outPath: flags.out, outLabel: flags.out }),
    };
    if (flags['dry-run']) {
      const plan = await planCertification(options);
      const diff = certificationDiff(plan, flags.bundle);
      return {
        status: EXIT.OK,
        result: { ...this.describe(plan.result), wrote: null, diff },
        // The diff alone on stdout (it can be saved and applied with `patch` to the canonical manifest); the summary on stderr.
        text: diff,
        stderr: [...certificationSummary({ ...plan.result, warnings: [] }).filter((l) => !l.trimStart().startsWith('wrote:')), diff.length === 0 ? 'dry run: no change to the bundle manifest' : 'dry run: nothing written'],
        warnings: plan.result.warnings,
      };
    }
    const result = await certifyDataRelease(options);
    return {
      status: EXIT.OK,
      result: this.describe(result),
      // The summary's WARNING lines go to stderr as warnings instead.
      text: certificationSummary({ ...result, warnings: [] }),
      warnings: result.warnings,
    };
  }

  private describe(result: CertificationResult): CertifyResult {
    return {
      country: result.country,
      bundle_id: result.bundleId,
      build_id: result.buildId,
      default_dataset: result.defaultDataset,
      dataset_count: result.datasetCount,
      manifest_sha256: result.manifestSha256,
      model: result.model,
      basis: result.basis,
      warnings: result.warnings,
      wrote: result.wrote,
    };
  }
}

/** A base URL flag: https anywhere, http only to a loopback host (a test server); trailing slashes dropped. */
function baseUrl(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new PeTraceError('USAGE', `${flag} ${value} is not a URL`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) {
    throw new PeTraceError('USAGE', `${flag} must be an https URL (plain http is allowed only for a loopback test server), got ${value}`);
  }
  return value.replace(/\/+$/, '');
}

/** The token from the named variable, or the first of the defaults that is set. */
function readToken(envName: string | undefined): string | undefined {
  const names = envName === undefined ? DEFAULT_TOKEN_ENVS : [envName];
  for (const name of names) {
    const v = process.env[name];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}
