// `pe-trace zenodo-mirror CC`: deposit a certified release's certification record on Zenodo (policyengine.py zenodo-mirror), with dry run, new versions and resume.
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import { displayPath } from '../src/cli/paths.js';
import {
  EXIT,
  HF_HUB,
  ZENODO_API,
  ZENODO_SANDBOX_API,
  canonicalJsonText,
  createNodeHttpClient,
  createNodeRequester,
  depositStateFile,
  loadDataReleaseManifestSource,
  mirrorToZenodo,
  parseBundleManifest,
  planZenodoMirror,
  readCountryRelease,
  readDocumentFile,
  requireZenodoToken,
  troBindingWarnings,
} from '../src/index.js';
import type { DataReleaseManifest, DepositionMetadata, PlannedRequest, ZenodoDeposit, ZenodoMirrorInput } from '../src/index.js';
import { InputError } from '../src/index.js';

interface DryRunResult {
  readonly dry_run: true;
  readonly base: string;
  readonly files: readonly { readonly name: string; readonly size: number; readonly sha256: string; readonly md5: string }[];
  readonly metadata: DepositionMetadata;
  readonly requests: readonly PlannedRequest[];
}

export default class ZenodoMirror extends BaseCommand<ZenodoDeposit | DryRunResult> {
  static override summary = "Deposit a certified release's certification record on Zenodo (policyengine.py zenodo-mirror).";
  static override description = [
    'Uploads {cc}.bundle_manifest.json (the country entry as policyengine.py dumps it), {cc}.trace.tro.jsonld (the',
    'TRO bytes given with --tro, unchanged) and, with --data-release-manifest, {cc}.data_release_manifest.json; then',
    'sets the deposition metadata and, only with --publish, publishes (minting the DOI). Without --publish the deposit',
    'stays a draft you can inspect on Zenodo. The dataset bytes are mirrored only with --include-dataset, only when the',
    'Hugging Face API confirms the source repository is public (gated, private, 401/403/404 refuse with exit 4; 429,',
    '5xx or a non-JSON answer refuse as unverifiable, exit 4, retry later) and only when their sha256 matches the',
    'certified one (exit 5), all checked before any Zenodo request.',
    '',
    'The token is read from the environment variable --token-env names (ZENODO_TOKEN by default), never from a flag.',
    'Requests that fail with 429 (any) or 5xx (GET/PUT/DELETE only; a POST is never repeated blindly) are retried',
    'with exponential backoff. A run that fails after the draft exists keeps a state file (--state); running the same',
    'command again resumes that draft, skipping files already uploaded, instead of leaving an orphaned draft.',
    '--dry-run prints every planned request, file, sha256 and the metadata and sends nothing to Zenodo.',
    'Prints the deposit JSON (deposit_id, deposit_url, doi, concept_doi, published, mirrors[]); the mirrors are not',
    'written back to any manifest. A warning says when the TRO does not pin the manifests deposited with it.',
  ]
    .join('\n')
    .replace(/(?<!\n)\n(?!\n)/g, ' ');
  static override examples = [
    '<%= config.bin %> zenodo-mirror us --manifest data/bundle/manifest.json --tro data/bundle/us.trace.tro.jsonld --dry-run',
    'ZENODO_TOKEN=… <%= config.bin %> zenodo-mirror us --manifest manifest.json --tro us.trace.tro.jsonld --data-release-manifest hub --sandbox',
    'ZENODO_TOKEN=… <%= config.bin %> zenodo-mirror us --manifest manifest.json --tro us.trace.tro.jsonld --publish --license cc-by-4.0',
    'ZENODO_TOKEN=… <%= config.bin %> zenodo-mirror us --manifest manifest.json --tro us.trace.tro.jsonld --new-version-of 4321 --publish',
  ];
  static override args = { country: Args.string({ description: 'Country code of the data_releases entry (us, uk, …).', required: true }) };
  static override flags = {
    manifest: Flags.string({ description: 'The bundle manifest (policyengine.py data/bundle/manifest.json).', required: true }),
    tro: Flags.string({ description: 'The bundle TRO to deposit (e.g. data/bundle/us.trace.tro.jsonld), uploaded byte for byte.', required: true }),
    'data-release-manifest': Flags.string({ description: 'Also deposit the data release manifest: a FILE, an https URL, or `hub` (the URL the country entry names).' }),
    publish: Flags.boolean({ description: 'Publish the deposit (mints the DOI; files can never be changed afterwards). Default: leave a draft.', default: false }),
    'include-dataset': Flags.boolean({ description: 'Also deposit the certified dataset bytes (licence gate and sha256 check first).', default: false }),
    sandbox: Flags.boolean({ description: `Use the Zenodo sandbox (${ZENODO_SANDBOX_API}; separate account and token).`, default: false, exclusive: ['zenodo-url'] }),
    license: Flags.string({ description: 'Zenodo licence id for the metadata (e.g. cc-by-4.0); none unless given.' }),
    'dry-run': Flags.boolean({ description: 'Print every planned request, file, sha256 and the metadata; send nothing to Zenodo.', default: false }),
    'new-version-of': Flags.string({ description: 'Deposit as a new version of this (latest) Zenodo deposition id.' }),
    'zenodo-url': Flags.string({ description: `The deposit API base (default ${ZENODO_API}).`, exclusive: ['sandbox'] }),
    'hub-url': Flags.string({ description: `Base replacing ${HF_HUB} for fetches only (tests); recorded addresses stay the public ones.` }),
    'token-env': Flags.string({ description: 'Environment variable holding the Zenodo token.', default: 'ZENODO_TOKEN' }),
    state: Flags.string({ description: 'Resume state file (default .pe-trace-zenodo-CC.state.json in the current folder); removed after success.' }),
    retries: Flags.integer({ description: 'Tries per request before giving up (429/5xx).', default: 4, min: 1 }),
    'retry-delay': Flags.integer({ description: 'First backoff pause in milliseconds (doubles each retry).', default: 1000, min: 0 }),
  };

  protected async exec(): Promise<Outcome<ZenodoDeposit | DryRunResult>> {
    const { args, flags } = await this.parse(ZenodoMirror);
    const token = process.env[flags['token-env']];
    // As policyengine.py: no token, no further work (a dry run needs none: it sends nothing to Zenodo).
    if (!flags['dry-run']) requireZenodoToken(token, flags['token-env']);
    const manifestLabel = displayPath(flags.manifest);
    const release = readCountryRelease(parseBundleManifest(await readDocumentFile(flags.manifest, { label: manifestLabel }), { label: manifestLabel }), args.country).release;
    const troLabel = displayPath(flags.tro);
    let troBytes: Uint8Array;
    try {
      troBytes = await readDocumentFile(flags.tro, { label: troLabel });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new InputError('INPUT_UNREADABLE', `No bundled TRACE TRO for '${release.country_id}' (${why}). Emit it first (pe-trace emit bundle) before mirroring.`, { location: { file: troLabel } });
    }
    const hub = createNodeHttpClient({ allowLoopbackHttp: true, maxBodyBytes: 2 * 1024 ** 3 });
    const drmSource = flags['data-release-manifest'];
    const hubToken = process.env['HUGGING_FACE_TOKEN'];
    let drm: DataReleaseManifest | undefined;
    if (drmSource !== undefined) {
      drm = await loadDataReleaseManifestSource(drmSource, release, {
        http: hub,
        ...(flags['hub-url'] === undefined ? {} : { hubUrl: flags['hub-url'] }),
        ...(hubToken === undefined ? {} : { hubToken }),
      });
    }
    const warnings = troBindingWarnings(troBytes, troLabel, release, drm);
    const input: ZenodoMirrorInput = {
      release,
      troBytes,
      ...(drm === undefined ? {} : { dataReleaseManifest: drm }),
      includeDataset: flags['include-dataset'],
      publish: flags.publish,
      ...(flags.license === undefined ? {} : { licenseId: flags.license }),
      ...(flags['new-version-of'] === undefined ? {} : { newVersionOf: flags['new-version-of'] }),
      baseUrl: flags['zenodo-url'] ?? (flags.sandbox ? ZENODO_SANDBOX_API : ZENODO_API),
      hub,
      ...(flags['hub-url'] === undefined ? {} : { hubUrl: flags['hub-url'] }),
    };

    if (flags['dry-run']) {
      const plan = await planZenodoMirror(input);
      const result: DryRunResult = {
        dry_run: true,
        base: plan.base,
        files: plan.files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256, md5: f.md5 })),
        metadata: plan.metadata,
        requests: plan.requests,
      };
      const text = [
        `dry run: nothing is sent to ${plan.base}`,
        ...plan.requests.map((r) => `${r.method} ${r.url}  (${r.step})`),
        ...plan.files.map((f) => `file ${f.name}  ${f.size} bytes  sha256 ${f.sha256}`),
        'metadata:',
        // One text entry per line: the renderer escapes a newline inside an entry (it would read as `\n`).
        ...canonicalJsonText({ metadata: { ...plan.metadata } }).trimEnd().split('\n'),
      ];
      return { status: EXIT.OK, result, text, warnings };
    }

    const statePath = flags.state ?? `.pe-trace-zenodo-${release.country_id}.state.json`;
    const deposit = await mirrorToZenodo(input, {
      token,
      requester: createNodeRequester({ allowLoopbackHttp: true, timeoutMs: 120_000 }),
      retry: { attempts: flags.retries, baseDelayMs: flags['retry-delay'] },
      state: depositStateFile(statePath, displayPath(statePath)),
      now: () => new Date(),
    });
    return { status: EXIT.OK, result: deposit, text: canonicalJsonText({ ...deposit }).trimEnd().split('\n'), warnings };
  }
}
