// `pe-trace record`: a self-contained run record directory (policyengine.py write_simulation_run_record), written atomically.
import { Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import { EXIT, emissionContextFromEnvironment, emittedIn, mergeRuntimeBinding, readAttestFile, readPayloadFile, runtimeEnvironmentFrom, runtimeFromEnvironment, sha256Hex, verifyCommandFor, writeRunRecord } from '../src/index.js';
import type { EmitFinding, JsonValue, VerifyCommand } from '../src/index.js';

interface RecordResult {
  readonly directory: string;
  readonly files: readonly string[];
  /** The run TRO's composition fingerprint: the citable id of the run. */
  readonly fingerprint: string;
  readonly findings: readonly EmitFinding[];
  /** The command that checks the record offline, as written. */
  readonly verify: VerifyCommand;
}

export default class Record extends BaseCommand<RecordResult> {
  static override summary = 'Write a run record: payloads, the bundle TRO and run.trace.tro.jsonld, verifiable offline.';
  static override description =
    'Writes DIR with bundle.trace.tro.jsonld (the bundle TRO re-canonicalised), reform.json, input.json, ' +
    'results.json, request.json and runtime.json (those given, as canonical JSON so their raw sha256 equals the ' +
    'TRO\'s) and run.trace.tro.jsonld, built by SPARQL CONSTRUCT. The whole directory appears at once (a temp ' +
    'directory renamed into place); an existing non-empty DIR is refused unless --force. A payload carrying a ' +
    'simulation_modifier (code) is refused (exit 3) before anything is written. The bundle TRO location is the ' +
    'local copy; --bundle-tro-url is recorded as pe:bundleTroUrl only, so it does not change the fingerprint.';

  static override examples = [
    '<%= config.bin %> record --bundle-tro us.trace.tro.jsonld --reform reform.json --input input.json --results results.json --simulation-id run-1 --created-at 2026-06-12T00:00:00Z --out runs/run-1',
  ];

  static override flags = {
    'bundle-tro': Flags.string({ description: 'The certified bundle TRO the run used.', required: true }),
    reform: Flags.string({ description: 'The reform payload (JSON); omit when the run has no policy.' }),
    input: Flags.string({ description: 'The input payload (JSON).', required: true }),
    results: Flags.string({ description: 'The results payload (JSON).', required: true }),
    request: Flags.string({ description: 'The API request payload (JSON).' }),
    runtime: Flags.string({ description: 'The runtime environment payload (JSON), hashed as runtime.json.' }),
    'runtime-env': Flags.string({ description: 'A JSON object of performance facts (runId, …) recorded as pe:<name>.' }),
    'simulation-id': Flags.string({ description: 'The simulation id.', required: true }),
    'created-at': Flags.string({ description: 'ISO 8601 date-time with a timezone (e.g. 2026-06-12T00:00:00Z).', required: true }),
    'bundle-tro-url': Flags.string({ description: 'Where the bundle TRO is published (pe:bundleTroUrl).' }),
    'emitted-in': Flags.string({ description: 'pe:emittedIn value (default: from GITHUB_ACTIONS…, else local).' }),
    out: Flags.string({ description: 'The record directory (parents created; written atomically).', required: true }),
    force: Flags.boolean({ description: 'Replace an existing non-empty record directory.', default: false }),
    // --- runtime binding (issue 12; logic in src/attest/runtime.ts) ---
    'runtime-from-env': Flags.boolean({
      description:
        'Bind the production runtime observed in this process\'s environment (Cloud Run K_SERVICE/K_REVISION, Kubernetes downward API ' +
        'POD_NAME/POD_NAMESPACE/APP_NAME/APP_VERSION, GitHub Actions GITHUB_*; CONTAINER_IMAGE_DIGEST, CLOUD_REGION, PYTHON_VERSION on any host): ' +
        'written as runtime.json (hashed) and as typed pe: terms. Refused when no supported host is detected.',
      default: false,
      exclusive: ['runtime'],
    }),
    lockfile: Flags.string({ description: 'With --runtime-from-env: the lockfile the runtime was installed from; its sha256 is bound (pe:lockfileSha256).', dependsOn: ['runtime-from-env'] }),
    packages: Flags.string({ description: 'With --runtime-from-env: `pip freeze` output of the runtime; name==version lines are bound (pe:packageVersions).', dependsOn: ['runtime-from-env'] }),
  };

  protected async exec(): Promise<Outcome<RecordResult>> {
    const { flags } = await this.parse(Record);
    const optional = async (path: string | undefined): Promise<JsonValue | undefined> => (path === undefined ? undefined : readPayloadFile(path));
    const runtimeEnv = await optional(flags['runtime-env']);
    const given = runtimeEnv === undefined ? undefined : runtimeEnvironmentFrom(runtimeEnv, flags['runtime-env']);
    // Runtime binding (issue 12): observed from the environment only when asked; the library never reads process.env.
    const binding = flags['runtime-from-env']
      ? runtimeFromEnvironment(process.env, {
          lockfileSha256: flags.lockfile === undefined ? undefined : sha256Hex(await readAttestFile(flags.lockfile, flags.lockfile, 'lockfile')),
          packagesText: flags.packages === undefined ? undefined : Buffer.from(await readAttestFile(flags.packages, flags.packages, 'package list')).toString('utf8'),
        })
      : undefined;
    const record = await writeRunRecord({
      directory: flags.out,
      force: flags.force,
      bundleTro: await readPayloadFile(flags['bundle-tro']),
      reform: await optional(flags.reform),
      input: await readPayloadFile(flags.input),
      results: await readPayloadFile(flags.results),
      request: await optional(flags.request),
      runtime: binding === undefined ? await optional(flags.runtime) : { ...binding },
      runtimeEnvironment: binding === undefined ? given : { ...given, ...mergeRuntimeBinding(binding, given) },
      simulationId: flags['simulation-id'],
      createdAt: flags['created-at'],
      bundleTroUrl: flags['bundle-tro-url'],
      emissionContext: flags['emitted-in'] === undefined ? emissionContextFromEnvironment(process.env) : emittedIn(flags['emitted-in']),
    });
    const verify = await verifyCommandFor({
      tro: `${flags.out.replace(/\/+$/, '')}/run.trace.tro.jsonld`,
      artifacts: record.tro.artifacts.map((a) => ({ id: a.shortId, location: a.location, sha256: a.sha256 })),
      written: record.files,
    });
    return {
      status: EXIT.OK,
      result: { directory: flags.out, files: record.files, fingerprint: record.fingerprint, findings: record.tro.findings, verify },
      text: [`wrote ${flags.out} (${record.files.join(', ')})`, `fingerprint: ${record.fingerprint}`],
      stderr: [`verify with: ${verify.command}`],
      warnings: record.tro.findings.filter((f) => f.severity === 'warning').map((f) => f.message),
    };
  }
}
