// `pe-trace emit results`: a simulation/results TRO with every payload written canonically beside it, so it always verifies.
import { Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../../src/cli/base-command.js';
import { EXIT, emissionContextFromEnvironment, emittedIn, readPayloadFile, runtimeEnvironmentFrom, verifyCommandFor, writeResultsRecord } from '../../src/index.js';
import type { EmitFinding, JsonValue, VerifyCommand } from '../../src/index.js';

interface EmitResultsResult {
  readonly directory: string;
  readonly files: readonly string[];
  readonly fingerprint: string;
  readonly findings: readonly EmitFinding[];
  /** The command that checks the output offline, as written. */
  readonly verify: VerifyCommand;
}

export default class EmitResults extends BaseCommand<EmitResultsResult> {
  static override summary = 'Emit a simulation/results TRO (policyengine.py build_simulation_trace_tro) and its payloads into a directory.';
  static override description =
    'Binds the bundle TRO (hashed as its canonical re-serialisation) and each JSON payload given (reform, input, ' +
    'request, runtime, results: hashed as canonical JSON) into results.trace.tro.jsonld, built by SPARQL ' +
    'CONSTRUCT. Unlike policyengine.py\'s results writer, every payload the TRO lists is written beside it as ' +
    'canonical bytes (and bundle.trace.tro.jsonld when its location is local), so the directory verifies ' +
    'offline. The directory is written atomically; an existing non-empty one is refused unless --force. ' +
    '--runtime-env is a JSON object whose entries become pe:<name> performance facts. For a ResultsJson payload ' +
    'the simulation id and creation time default to its metadata (slug or title, generated_at), as policyengine.py does.';

  static override examples = [
    '<%= config.bin %> emit results --bundle-tro us.trace.tro.jsonld --results results.json --reform reform.json --simulation-id run-123 --created-at 2026-04-18T12:05:00Z --emitted-in policyengine-api --out out/',
  ];

  static override flags = {
    'bundle-tro': Flags.string({ description: 'The certified bundle TRO the simulation used.', required: true }),
    results: Flags.string({ description: 'The results payload (JSON).', required: true }),
    reform: Flags.string({ description: 'The reform payload (JSON).' }),
    input: Flags.string({ description: 'The simulation input payload (JSON).' }),
    request: Flags.string({ description: 'The API request payload (JSON).' }),
    runtime: Flags.string({ description: 'The runtime environment payload (JSON), hashed as runtime.json.' }),
    'runtime-env': Flags.string({ description: 'A JSON object of performance facts (runId, executionId, …) recorded as pe:<name>.' }),
    'reform-name': Flags.string({ description: 'schema:name of the reform artifact (default "reform").' }),
    'input-name': Flags.string({ description: 'schema:name of the input artifact (default "simulation input").' }),
    'simulation-id': Flags.string({ description: 'The simulation id (names the TRO); default the results\' metadata.slug or metadata.title.' }),
    'created-at': Flags.string({ description: 'ISO 8601 date-time with a timezone: dateCreated and endedAtTime; default metadata.generated_at.' }),
    'started-at': Flags.string({ description: 'ISO 8601 date-time with a timezone: startedAtTime (default: --created-at).' }),
    'bundle-tro-url': Flags.string({ description: 'Where the bundle TRO is published: recorded as pe:bundleTroUrl and used as its location.' }),
    'emitted-in': Flags.string({ description: 'pe:emittedIn value (default: from GITHUB_ACTIONS…, else local).' }),
    out: Flags.string({ description: 'The output directory (parents created; written atomically).', required: true }),
    force: Flags.boolean({ description: 'Replace an existing non-empty output directory.', default: false }),
  };

  protected async exec(): Promise<Outcome<EmitResultsResult>> {
    const { flags } = await this.parse(EmitResults);
    const optional = async (path: string | undefined): Promise<JsonValue | undefined> => (path === undefined ? undefined : readPayloadFile(path));
    const runtimeEnv = await optional(flags['runtime-env']);
    const record = await writeResultsRecord({
      directory: flags.out,
      force: flags.force,
      bundleTro: await readPayloadFile(flags['bundle-tro']),
      results: await readPayloadFile(flags.results),
      reform: await optional(flags.reform),
      input: await optional(flags.input),
      request: await optional(flags.request),
      runtime: await optional(flags.runtime),
      runtimeEnvironment: runtimeEnv === undefined ? undefined : runtimeEnvironmentFrom(runtimeEnv, flags['runtime-env']),
      reformName: flags['reform-name'],
      inputName: flags['input-name'],
      simulationId: flags['simulation-id'],
      createdAt: flags['created-at'],
      startedAt: flags['started-at'],
      bundleTroUrl: flags['bundle-tro-url'],
      emissionContext: flags['emitted-in'] === undefined ? emissionContextFromEnvironment(process.env) : emittedIn(flags['emitted-in']),
    });
    const troFile = record.files.find((f) => f.endsWith('.trace.tro.jsonld')) ?? 'results.trace.tro.jsonld';
    const verify = await verifyCommandFor({
      tro: joinShown(flags.out, troFile),
      artifacts: record.tro.artifacts.map((a) => ({ id: a.shortId, location: a.location, sha256: a.sha256 })),
      written: record.files,
      // With --bundle-tro-url the bundle TRO's location is that URL: the file given is its copy if its bytes match.
      copies: record.tro.artifacts.filter((a) => a.shortId === 'bundle_tro').map((a) => ({ location: a.location, path: flags['bundle-tro'] })),
    });
    return {
      status: EXIT.OK,
      result: { directory: flags.out, files: record.files, fingerprint: record.fingerprint, findings: record.tro.findings, verify },
      text: [...record.files.map((f) => `wrote ${joinShown(flags.out, f)}`), `fingerprint: ${record.fingerprint}`],
      stderr: [`verify with: ${verify.command}`],
      warnings: record.tro.findings.filter((f) => f.severity === 'warning').map((f) => f.message),
    };
  }
}

/** `out/` + `x` → `out/x` for display (the directory as the user gave it, never made absolute). */
function joinShown(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}
