// `pe-trace emit build`: a populace/microcosm build TRO from a release manifest, with payloads and restricted inputs bound by hash.
import { Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../../src/cli/base-command.js';
import { displayPath } from '../../src/cli/paths.js';
import {
  BUILD_FLAVOURS,
  EXIT,
  InputError,
  basisText,
  buildEmissionContextFromEnvironment,
  buildEmittedIn,
  emitBuildTro,
  parseJson,
  parseRestrictedInputFlag,
  readDocumentFile,
  verifyCommandFor,
  readRestrictedInputsFile,
  readSourceRegistry,
  writeBuildPayloads,
  writeBuildTro,
} from '../../src/index.js';
import type { BuildFinding, BuildTroOptions, EmittedBuildTro, LabelledDocument, RestrictedInputSpec, VerifyCommand } from '../../src/index.js';

interface EmitBuildResult {
  readonly buildId: string;
  readonly flavour: string;
  readonly fingerprint: string;
  readonly artifacts: readonly {
    readonly id: string;
    readonly role: string;
    readonly sha256: string;
    readonly location: string;
    readonly accessRestricted: boolean;
  }[];
  readonly inputs: readonly {
    readonly id: string;
    readonly sha256: string;
    readonly location: string;
    readonly identifiers: Readonly<Record<string, string | number>>;
    readonly basis: readonly string[];
  }[];
  readonly payloads: readonly { readonly name: string; readonly sha256: string; readonly location: string; readonly preimage: boolean; readonly origin: string }[];
  readonly gates: { readonly names: readonly string[]; readonly passed: boolean | null } | null;
  readonly out: string | null;
  readonly payloadFiles: readonly string[];
  readonly findings: readonly BuildFinding[];
  /** With --out: the command that checks the written TRO offline (payload preimages via --payload-dir, the rest skipped). */
  readonly verify: VerifyCommand | null;
}

export default class EmitBuild extends BaseCommand<EmitBuildResult> {
  static override summary = 'Emit a build TRO (populace/microcosm dialect) from a data release manifest, binding restricted inputs by hash.';
  static override description = [
    'Reads a populace/microcosm release manifest (the early flat shape or schema version 1) and binds, by sha256: the',
    'outputs at their Hugging Face resolve URLs, the payloads build_config ({"construction": …}), gate_report (the gates',
    'block, or --build-manifest\'s) and stage_records as canonical JSON at urn:pop:payload:<name>:<sha256>, and the',
    'restricted inputs the build consumed at their canonical access URLs, flagged pop:accessRestricted with their UK Data',
    'Service study/edition, DOI and IRS agreement id. Inputs come from --restricted-input / --inputs (curated; an id that',
    'names a record of a --sources file takes its hash and identifiers) and, with --restricted-from-sources, from every',
    'record of the sources files that a signal (kind, access, private repo) marks restricted. An input without a sha256 is',
    'an error: provenance without a hash is not provenance. The TRO is built by SPARQL CONSTRUCT and written as canonical',
    'JSON to stdout or atomically to --out. Payload URNs are not fetchable: verify a payload by recomputing its hash from',
    'its preimage (--payload-dir writes them as <name>.json). pop:emittedIn comes from --emitted-in, else from',
    'GITHUB_ACTIONS and friends (github-actions), else local.',
  ].join(' ');

  static override examples = [
    '<%= config.bin %> emit build --release-manifest release_manifest.json --hf-revision 4a8e7d39… --emitted-in local --out build.trace.tro.jsonld',
    '<%= config.bin %> emit build --release-manifest release_manifest.json --build-manifest build_manifest.json --sources uk/spec/sources.yaml --restricted-from-sources --out build.trace.tro.jsonld',
    '<%= config.bin %> emit build --release-manifest release_manifest.json --sources us/spec/sources.yaml --restricted-input id=processed_puf,location=https://www.irs.gov/statistics/soi-tax-stats-individual-public-use-microdata-files --out build.trace.tro.jsonld',
  ];

  static override flags = {
    'release-manifest': Flags.string({ description: 'The release manifest (release_manifest.json) of the build.', required: true }),
    'build-manifest': Flags.string({ description: 'The populace build_manifest.json of the same release (gates, build sha, cross-checks).' }),
    sources: Flags.string({ description: 'A microcosm sources.yaml or source-stage manifest (repeatable): the registry of pinned inputs.', multiple: true, default: [] }),
    'restricted-input': Flags.string({
      description: 'A restricted input: id=…[,sha256=…][,location=…][,name=…][,ukds-study=…][,ukds-edition=…][,doi=…][,irs-agreement=…][,licence=…][,kind=…][,basis=…] (repeatable).',
      multiple: true,
      default: [],
    }),
    inputs: Flags.string({ description: 'A JSON file of restricted inputs: an array of objects with the same fields (snake_case).' }),
    'restricted-from-sources': Flags.boolean({ description: 'Also bind every input of the --sources files that a signal marks restricted.', default: false }),
    payload: Flags.string({ description: 'NAME=FILE: a payload preimage (JSON), hashed as canonical JSON; wins over the manifest\'s (repeatable).', multiple: true, default: [] }),
    'payload-sha256': Flags.string({ description: 'NAME=SHA256: bind a payload by a declared hash when its preimage is unpublished (reported) (repeatable).', multiple: true, default: [] }),
    flavour: Flags.option({ options: BUILD_FLAVOURS, description: 'pop: namespace and labels: populace (populace.dev) or microcosm (microcosm.institute); default from the builder.' })(),
    'hf-repo': Flags.string({ description: 'Hugging Face repo of outputs the manifest does not place (default policyengine/populace-us for the flat shape).' }),
    'hf-repo-type': Flags.option({ options: ['dataset', 'model', 'space'] as const, description: 'Repo type of outputs whose manifest does not say (default dataset).' })(),
    'hf-revision': Flags.string({ description: 'Revision pinned in every output URL (default: the manifest\'s, else main, a moving ref).' }),
    'self-url': Flags.string({ description: 'Recorded as pop:selfUrl: where this TRO will be published.' }),
    'date-created': Flags.string({ description: 'schema:dateCreated (default: the build date).' }),
    'started-at': Flags.string({ description: 'trov:startedAtTime of the build performance.' }),
    'ended-at': Flags.string({ description: 'trov:endedAtTime of the build performance.' }),
    'created-with': Flags.string({ description: 'trov:createdWith as NAME@VERSION (default pe-trace@<this version>), e.g. populace-build@0.1.0.' }),
    'emitted-in': Flags.string({ description: 'pop:emittedIn value (local, github-actions, …).' }),
    out: Flags.string({ description: 'Write the TRO to this file (parents created, atomic) instead of stdout.' }),
    'payload-dir': Flags.string({ description: 'Also write each payload preimage here as <name>.json (its canonical bytes).' }),
  };

  protected async exec(): Promise<Outcome<EmitBuildResult>> {
    const { flags } = await this.parse(EmitBuild);
    const manifest = await readJson(flags['release-manifest']);
    const buildManifest = flags['build-manifest'] === undefined ? undefined : await readJson(flags['build-manifest']);
    const registryInputs = [];
    for (const path of flags.sources) {
      const label = displayPath(path);
      registryInputs.push({ bytes: await readDocumentFile(path, { label }), label });
    }
    const registry = registryInputs.length === 0 ? undefined : readSourceRegistry(registryInputs);
    const specs: RestrictedInputSpec[] = flags['restricted-input'].map(parseRestrictedInputFlag);
    if (flags.inputs !== undefined) {
      const file = await readJson(flags.inputs);
      specs.push(...readRestrictedInputsFile(file.doc, file.label));
    }
    const payloads: (LabelledDocument & { name: string })[] = [];
    for (const spec of flags.payload) {
      const [name, path] = splitPair(spec, '--payload', 'NAME=FILE');
      payloads.push({ name, ...(await readJson(path)) });
    }
    const declaredPayloads = flags['payload-sha256'].map((spec) => {
      const [name, sha256] = splitPair(spec, '--payload-sha256', 'NAME=SHA256');
      return { name, sha256 };
    });

    const options: BuildTroOptions = {
      manifest,
      ...(buildManifest === undefined ? {} : { buildManifest }),
      ...(flags.flavour === undefined ? {} : { flavour: flags.flavour }),
      ...(flags['hf-repo'] === undefined ? {} : { hfRepo: flags['hf-repo'] }),
      ...(flags['hf-repo-type'] === undefined ? {} : { hfRepoType: flags['hf-repo-type'] }),
      ...(flags['hf-revision'] === undefined ? {} : { hfRevision: flags['hf-revision'] }),
      payloads,
      declaredPayloads,
      restrictedInputs: specs,
      ...(registry === undefined ? {} : { registry }),
      allRestrictedSources: flags['restricted-from-sources'],
      ...(flags['self-url'] === undefined ? {} : { selfUrl: flags['self-url'] }),
      ...(flags['date-created'] === undefined ? {} : { dateCreated: flags['date-created'] }),
      ...(flags['started-at'] === undefined ? {} : { startedAt: flags['started-at'] }),
      ...(flags['ended-at'] === undefined ? {} : { endedAt: flags['ended-at'] }),
      createdWith: createdWith(flags['created-with'], this.config.version),
      emissionContext: flags['emitted-in'] === undefined ? buildEmissionContextFromEnvironment(process.env) : buildEmittedIn(flags['emitted-in']),
    };
    const tro = await emitBuildTro(options);

    let payloadFiles: readonly string[] = [];
    if (flags.out !== undefined) {
      ({ payloadFiles } = await writeBuildTro(tro, {
        out: flags.out,
        outLabel: displayPath(flags.out),
        ...(flags['payload-dir'] === undefined ? {} : { payloadDir: flags['payload-dir'] }),
      }));
    } else if (flags['payload-dir'] !== undefined) {
      payloadFiles = await writeBuildPayloads(tro, flags['payload-dir']);
    }
    const payloadDir = flags['payload-dir'];
    const verify =
      flags.out === undefined
        ? null
        : await verifyCommandFor({
            tro: flags.out,
            artifacts: tro.plan.artifacts.map((a) => ({ id: a.id, location: a.location, sha256: a.sha256 })),
            ...(payloadDir === undefined ? {} : { payloadDir, payloadsWritten: tro.plan.payloads.filter((p) => p.bytes !== undefined).map((p) => p.location) }),
          });
    const result = { ...describe(tro, flags.out === undefined ? null : displayPath(flags.out), payloadFiles), verify };
    const warnings = tro.findings.filter((f) => f.severity === 'warning').map((f) => f.message);
    if (flags.out === undefined) return { status: EXIT.OK, result, bytes: tro.bytes, warnings };
    const restricted = result.artifacts.filter((a) => a.accessRestricted).length;
    return {
      status: EXIT.OK,
      result,
      text: [
        `wrote ${result.out ?? ''}`,
        `fingerprint: ${tro.fingerprint}`,
        `artifacts: ${result.artifacts.length} (${plural(result.inputs.length, 'restricted input')}, ${plural(result.payloads.length, 'payload')}, ${plural(restricted, 'restricted location')})`,
        ...payloadFiles.map((f) => `payload: ${f}`),
      ],
      stderr: [`verify with: ${verify?.command ?? ''}`],
      warnings,
    };
  }
}

async function readJson(path: string): Promise<LabelledDocument> {
  const label = displayPath(path);
  const bytes = await readDocumentFile(path, { label });
  return { doc: parseJson(bytes, { label }), label };
}

function splitPair(spec: string, flag: string, form: string): [string, string] {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) throw new InputError('USAGE', `${flag} "${spec}": expected ${form}`);
  return [spec.slice(0, eq), spec.slice(eq + 1)];
}

function createdWith(value: string | undefined, version: string): { name: string; version: string | null } {
  if (value === undefined) return { name: 'pe-trace', version };
  const at = value.lastIndexOf('@');
  if (at <= 0) return { name: value, version: null };
  return { name: value.slice(0, at), version: value.slice(at + 1) };
}

function describe(tro: EmittedBuildTro, out: string | null, payloadFiles: readonly string[]): Omit<EmitBuildResult, 'verify'> {
  const { plan } = tro;
  const gates = plan.performanceFacts.find(([k]) => k === 'gateNames');
  const passed = plan.performanceFacts.find(([k]) => k === 'gatesPassed');
  return {
    buildId: plan.facts.buildId,
    flavour: plan.flavour,
    fingerprint: tro.fingerprint,
    artifacts: plan.artifacts.map((a) => ({
      id: a.id,
      role: a.role,
      sha256: a.sha256,
      location: a.location,
      accessRestricted: a.locationFacts.some(([k, v]) => k === 'accessRestricted' && v === true),
    })),
    inputs: plan.inputs.map((i) => ({
      id: i.id,
      sha256: i.sha256,
      location: i.location,
      identifiers: {
        ...(i.ukdsStudyNumber === undefined ? {} : { ukdsStudyNumber: i.ukdsStudyNumber }),
        ...(i.ukdsEdition === undefined ? {} : { ukdsEdition: i.ukdsEdition }),
        ...(i.doi === undefined ? {} : { doi: i.doi }),
        ...(i.irsAgreementId === undefined ? {} : { irsAgreementId: i.irsAgreementId }),
      },
      basis: i.signals.map(basisText),
    })),
    payloads: plan.payloads.map((p) => ({ name: p.name, sha256: p.sha256, location: p.location, preimage: p.bytes !== undefined, origin: p.origin })),
    gates: gates === undefined ? null : { names: gates[1] as readonly string[], passed: typeof passed?.[1] === 'boolean' ? passed[1] : null },
    out,
    payloadFiles,
    findings: tro.findings,
  };
}

/** `1 payload`, `2 payloads`: counts as a reader says them. */
function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
