// `pe-trace emit bundle`: the certified bundle TRO of one country, byte-identical to policyengine.py's `trace-tro`.
import { Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../../src/cli/base-command.js';
import {
  EXIT,
  HF_HUB,
  type HttpClient,
  InputError,
  PYPI_BASE,
  PeTraceError,
  type PypiLookup,
  type ReleaseManifestFacts,
  createNodeHttpClient,
  emissionContextFromEnvironment,
  emitBundleTro,
  emittedIn,
  fetchPypiWheelMetadata,
  httpsReleaseManifestUri,
  parseBundleManifest,
  parseDataReleaseManifest,
  readCountryRelease,
  readDocumentFile,
  verifyCommandFor,
  writeFileAtomic,
} from '../../src/index.js';
import type { CountryRelease, EmitFinding, VerifyCommand } from '../../src/index.js';

interface EmitBundleResult {
  readonly country: string;
  readonly fingerprint: string;
  readonly artifacts: readonly { readonly id: string; readonly sha256: string; readonly location: string }[];
  /** `available` when a data release manifest was bound, else `unavailable` (the limited TRO). */
  readonly dataReleaseManifest: 'available' | 'unavailable';
  readonly out: string | null;
  readonly findings: readonly EmitFinding[];
  /** With --out: the command that checks the written TRO offline (the local manifests mapped, remote artifacts skipped). */
  readonly verify: VerifyCommand | null;
}

export default class EmitBundle extends BaseCommand<EmitBundleResult> {
  static override summary = 'Emit the certified bundle TRO of a country (policyengine.py `trace-tro`), byte for byte.';
  static override description =
    'Reads the bundle manifest (manifest.json) and the country entry, binds the bundle manifest file by its ' +
    'sha256, the certified dataset, the model wheel and, unless --offline, the data release manifest (its raw ' +
    'bytes hashed, never re-serialised), builds the TRO by SPARQL CONSTRUCT and writes canonical JSON to stdout ' +
    'or atomically to --out. Choose the data release manifest explicitly: a FILE, an https URL, `hub` (the URL ' +
    'the country entry names), or --offline for the limited TRO (pe:dataReleaseManifestStatus "unavailable"). ' +
    'Nothing is fetched unless asked: the manifest URL or `hub`, and PyPI only with --fetch-pypi. pe:emittedIn ' +
    'comes from --emitted-in, else from GITHUB_ACTIONS / GITHUB_SERVER_URL / GITHUB_REPOSITORY / GITHUB_RUN_ID / ' +
    'GITHUB_SHA / GITHUB_REF (github-actions), else local. HUGGING_FACE_TOKEN, when set, is sent to the hub only.';

  static override examples = [
    '<%= config.bin %> emit bundle --manifest manifest.json --country us --offline --emitted-in local',
    '<%= config.bin %> emit bundle --manifest manifest.json --country us --data-release-manifest hub --out data/bundle/us.trace.tro.jsonld',
    '<%= config.bin %> emit bundle --manifest manifest.json --country uk --data-release-manifest release_manifest.json --emitted-in repository-bundle',
  ];

  static override flags = {
    manifest: Flags.string({ description: 'The bundle manifest (policyengine.py data/bundle/manifest.json).', required: true }),
    country: Flags.string({ description: 'Country code of the data_releases entry (us, uk, …).', required: true }),
    'data-release-manifest': Flags.string({
      description: 'The data release manifest: a FILE, an https URL, or `hub` for the URL the country entry names.',
      exclusive: ['offline'],
    }),
    offline: Flags.boolean({ description: 'Emit the limited TRO without a data release manifest.', default: false, exclusive: ['data-release-manifest'] }),
    'emitted-in': Flags.string({ description: 'pe:emittedIn value (local, github-actions, policyengine-api, repository-bundle, …).' }),
    'self-url': Flags.string({ description: 'Recorded as pe:selfUrl: where this TRO will be published.' }),
    'hub-url': Flags.string({ description: `Base replacing ${HF_HUB} when fetching (tests serve a loopback hub).` }),
    'fetch-pypi': Flags.boolean({ description: 'Ask PyPI for the wheel sha256/URL when the manifest lacks them.', default: false }),
    'pypi-url': Flags.string({ description: `Base of the PyPI JSON API (default ${PYPI_BASE}).` }),
    out: Flags.string({ description: 'Write the TRO to this file (parents created, atomic) instead of stdout.' }),
  };

  protected async exec(): Promise<Outcome<EmitBundleResult>> {
    const { flags } = await this.parse(EmitBundle);
    const source = flags['data-release-manifest'];
    if (source === undefined && !flags.offline) {
      throw new PeTraceError('USAGE', 'choose the data release manifest: --data-release-manifest FILE|URL|hub, or --offline for the limited TRO');
    }
    const manifestBytes = await readDocumentFile(flags.manifest, { label: flags.manifest });
    const read = readCountryRelease(parseBundleManifest(manifestBytes, { label: flags.manifest }), flags.country);
    const country = read.release;
    const warnings = read.findings.filter((f) => f.severity === 'warning').map((f) => `${flags.manifest}#${f.pointer}: ${f.message}`);

    const hub = stripSlash(flags['hub-url'] ?? HF_HUB);
    let http: HttpClient | undefined;
    const client = (): HttpClient => (http ??= createNodeHttpClient({ allowLoopbackHttp: true }));
    const drm = source === undefined ? undefined : await loadReleaseManifest(source, country, hub, client);
    const pypi: PypiLookup | undefined = flags['fetch-pypi']
      ? async (name, version) => {
          const found = await fetchPypiWheelMetadata(client(), name, version, { pypiUrl: stripSlash(flags['pypi-url'] ?? PYPI_BASE) });
          if (found.problem !== undefined) throw new Error(found.problem);
          return found;
        }
      : undefined;

    const tro = await emitBundleTro({
      country,
      dataReleaseManifest: drm,
      pypi,
      selfUrl: flags['self-url'],
      emissionContext: flags['emitted-in'] === undefined ? emissionContextFromEnvironment(process.env) : emittedIn(flags['emitted-in']),
    });
    if (flags.out !== undefined) {
      await writeFileAtomic(flags.out, tro.bytes, { label: flags.out });
    }
    const localDrm = source !== undefined && source !== 'hub' && !/^https?:\/\//i.test(source) ? source : undefined;
    const verify =
      flags.out === undefined
        ? null
        : await verifyCommandFor({
            tro: flags.out,
            artifacts: tro.artifacts.map((a) => ({ id: a.shortId, location: a.location, sha256: a.sha256 })),
            // The bundle manifest's location is policyengine.py's package path; the manifest read here is its copy.
            copies: tro.artifacts.flatMap((a) =>
              a.shortId === 'bundle_manifest'
                ? [{ location: a.location, path: flags.manifest }]
                : a.shortId === 'data_release_manifest' && localDrm !== undefined
                  ? [{ location: a.location, path: localDrm }]
                  : [],
            ),
          });
    const result: EmitBundleResult = {
      country: country.country_id,
      fingerprint: tro.fingerprint,
      artifacts: tro.artifacts.map((a) => ({ id: a.shortId, sha256: a.sha256, location: a.location })),
      dataReleaseManifest: tro.artifacts.some((a) => a.shortId === 'data_release_manifest') ? 'available' : 'unavailable',
      out: flags.out ?? null,
      findings: tro.findings,
      verify,
    };
    warnings.push(...tro.findings.filter((f) => f.severity === 'warning').map((f) => f.message));
    return flags.out === undefined
      ? { status: EXIT.OK, result, bytes: tro.bytes, warnings }
      : { status: EXIT.OK, result, text: [`wrote ${flags.out}`, `fingerprint: ${tro.fingerprint}`], stderr: [`verify with: ${verify?.command ?? ''}`], warnings };
  }
}

/** Reads or fetches the data release manifest; its source_sha256 is of the exact bytes read. */
async function loadReleaseManifest(source: string, country: CountryRelease, hub: string, client: () => HttpClient): Promise<ReleaseManifestFacts> {
  if (source !== 'hub' && !/^https?:\/\//i.test(source)) {
    const bytes = await readDocumentFile(source, { label: source });
    return parseDataReleaseManifest(bytes, { label: source }).manifest;
  }
  const url = source === 'hub' ? httpsReleaseManifestUri(country.data_package, hub) : rebase(source, hub);
  const token = process.env['HUGGING_FACE_TOKEN'];
  // The token is for the hub only, never for another host a URL names.
  const sameHost = new URL(url).host === new URL(hub).host;
  const headers: Record<string, string> = token && sameHost ? { authorization: `Bearer ${token}` } : {};
  let response;
  try {
    response = await client().get(url, headers);
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', `could not fetch the data release manifest: ${e instanceof Error ? e.message : String(e)}`, { location: { file: url } });
  }
  if (response.status < 200 || response.status >= 300) {
    const hint = response.status === 401 || response.status === 403 ? ' (set HUGGING_FACE_TOKEN to a token that can read it)' : '';
    throw new InputError('INPUT_UNREADABLE', `could not fetch the data release manifest: HTTP ${response.status}${hint}`, { location: { file: url } });
  }
  return parseDataReleaseManifest(response.body, { label: url }).manifest;
}

/** `https://huggingface.co/…` fetched from the `--hub-url` base instead (tests); other URLs unchanged. */
function rebase(url: string, hub: string): string {
  return url.startsWith(`${HF_HUB}/`) ? `${hub}${url.slice(HF_HUB.length)}` : url;
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
