// Plans a build TRO: release-manifest facts, payloads, restricted inputs and gate verdicts resolved into every value of the TRO.
import { InputError } from '../errors.js';
import { compositionFingerprint } from '../hash/fingerprint.js';
import { isJsonObject } from '../json/value.js';
import type { JsonValue } from '../json/value.js';
import { optional } from '../manifest/data-release-manifest.js';
import { type BuildEmissionContext, checkBuildEmissionContext } from './emission-context.js';
import { type BuildFinding, info, warning } from './findings.js';
import { gateVerdicts } from './gates.js';
import { buildMimeType } from './mime.js';
import { type BuildPayload, KNOWN_PAYLOADS, checkPayloadName, payloadFromDeclaredHash, payloadFromValue } from './payloads.js';
import { type BuildFacts, type BuildOutput, type HfRepoType, readBuildFacts } from './release-manifest.js';
import { type RestrictedInput, type RestrictedInputSpec, resolveRestrictedInputs } from './restricted-inputs.js';
import { type RestrictionSignal, basisText } from './signals.js';
import type { SourceRegistry } from './sources.js';
import { type BuildFlavour, flavourTexts } from './vocab.js';

/** A parsed JSON document and how to name it in messages. */
export interface LabelledDocument {
  readonly doc: JsonValue;
  readonly label: string;
}

export interface BuildTroOptions {
  readonly manifest: LabelledDocument;
  /** The populace `build_manifest.json` of the same release: gates for schema-v1 manifests, the build sha. */
  readonly buildManifest?: LabelledDocument;
  /** Default: from the builder (`populace` or `microcosm`), else populace. */
  readonly flavour?: BuildFlavour;
  readonly hfRepo?: string;
  readonly hfRepoType?: HfRepoType;
  /** Pins every output location to this revision (e.g. the commit the release was uploaded as). */
  readonly hfRevision?: string;
  /** Payload preimages by name (`gate_report`, `stage_records`, …): hashed as canonical JSON. They win over the manifest's. */
  readonly payloads?: readonly (LabelledDocument & { readonly name: string })[];
  /** Payloads bound by a hash alone, when nobody published the preimage (reported). */
  readonly declaredPayloads?: readonly { readonly name: string; readonly sha256: string }[];
  readonly restrictedInputs?: readonly RestrictedInputSpec[];
  readonly registry?: SourceRegistry;
  /** Also bind every input of the registry that a signal marks restricted. */
  readonly allRestrictedSources?: boolean;
  readonly selfUrl?: string;
  /** Default: the build date. */
  readonly dateCreated?: string;
  readonly startedAt?: string;
  readonly endedAt?: string;
  /** `trov:createdWith`: the software writing the TRO (null version is written as JSON null, as populace does). */
  readonly createdWith: { readonly name: string; readonly version: string | null };
  /** Required and explicit: see `buildEmissionContextFromEnvironment`. */
  readonly emissionContext: BuildEmissionContext;
}

/** A value of a `pop:` term: a string, a boolean, an integer, or a set of strings. */
export type PopValue = string | boolean | number | readonly string[];

export type ArtifactRole = 'output' | 'input' | 'payload';

/** One artifact of the composition with its single location; the array order is the emission order. */
export interface PlannedArtifact {
  readonly id: string;
  readonly role: ArtifactRole;
  readonly sha256: string;
  readonly location: string;
  readonly name?: string;
  readonly mimeType?: string;
  /** Typed `pop:RestrictedInput` besides `trov:ResearchArtifact`. */
  readonly restrictedInput: boolean;
  /** `pop:*` facts of the artifact node (identifiers), by local name. */
  readonly artifactFacts: ReadonlyArray<readonly [string, PopValue]>;
  /** `pop:*` facts of the location node (`accessRestricted`, `restrictionBasis`), by local name. */
  readonly locationFacts: ReadonlyArray<readonly [string, PopValue]>;
}

export interface BuildTroPlan {
  readonly flavour: BuildFlavour;
  readonly popNamespace: string;
  readonly troName: string;
  readonly troDescription: string;
  readonly dateCreated?: string;
  readonly createdWith: { readonly name: string; readonly version: string | null };
  readonly trsName: string;
  readonly trsComment: string;
  readonly performanceComment: string;
  readonly startedAt?: string;
  readonly endedAt?: string;
  /** `pop:*` facts of the TRO node (`buildDate`, `selfUrl`). */
  readonly troFacts: ReadonlyArray<readonly [string, PopValue]>;
  /** `pop:*` facts of the performance (`buildId`, gate verdicts, emission context). */
  readonly performanceFacts: ReadonlyArray<readonly [string, PopValue]>;
  readonly artifacts: readonly PlannedArtifact[];
  readonly fingerprint: string;
  readonly facts: BuildFacts;
  readonly payloads: readonly BuildPayload[];
  readonly inputs: readonly RestrictedInput[];
  readonly findings: readonly BuildFinding[];
}

const HF_HUB = 'https://huggingface.co';

/** Resolves everything a build TRO says. Throws for bad input (a missing hash, a clash); returns findings for the rest. */
export function planBuildTro(options: BuildTroOptions): BuildTroPlan {
  checkBuildEmissionContext(options.emissionContext);
  const findings: BuildFinding[] = [];
  const facts = readBuildFacts(options.manifest.doc, {
    label: options.manifest.label,
    ...optional('hfRepo', options.hfRepo),
    ...optional('hfRepoType', options.hfRepoType),
    ...optional('buildManifest', options.buildManifest),
  });
  for (const note of facts.notes) findings.push(info('MANIFEST_NOTE', note));
  for (const note of options.registry?.notes ?? []) findings.push(info('REGISTRY_NOTE', note));
  const flavour = options.flavour ?? flavourOf(facts);
  const texts = flavourTexts(flavour);

  const outputs = facts.outputs.map((o) => plannedOutput(o, facts.releaseSignals, options.hfRevision, findings));
  const resolved = resolveRestrictedInputs(options.restrictedInputs ?? [], options.registry, { allRestricted: options.allRestrictedSources === true });
  findings.push(...resolved.findings);
  const inputs = resolved.inputs.map(plannedInput);
  const payloads = collectPayloads(facts, options, findings);

  const artifacts = [...outputs, ...inputs, ...payloads.map(plannedPayload)];
  const seen = new Set<string>();
  for (const a of artifacts) {
    if (seen.has(a.id)) throw new InputError('USAGE', `two artifacts of the build TRO would share the id ${a.id} (an input or payload named like an output?)`);
    seen.add(a.id);
  }
  if (resolved.inputs.length === 0) {
    findings.push(info('NO_INPUTS', 'the TRO binds no inputs: it says what the build produced, not what it consumed'));
  }
  if (!payloads.some((p) => p.name === 'stage_records')) findings.push(info('NO_STAGE_RECORDS', 'no stage records were supplied: the TRO binds none'));

  const performanceFacts: [string, PopValue][] = [['buildId', facts.buildId]];
  if (facts.buildSha !== undefined) performanceFacts.push(['buildSha', facts.buildSha]);
  else findings.push(info('NO_BUILD_SHA', 'no build sha is known (neither the release manifest nor a build manifest names one): pop:buildSha is omitted'));
  performanceFacts.push(['builder', facts.builder ?? flavour]);
  const gatePayload = payloads.find((p) => p.name === 'gate_report');
  const gateValue = gateValueOf(facts, options);
  if (gatePayload !== undefined && gateValue !== undefined && isJsonObject(gateValue)) {
    const verdicts = gateVerdicts(gateValue);
    if (verdicts.passed !== undefined) performanceFacts.push(['gatesPassed', verdicts.passed]);
    else findings.push(info('NO_GATE_VERDICT', 'the gate report records no verdict (evidence-only gates): pop:gatesPassed is omitted'));
    performanceFacts.push(['gateNames', verdicts.names]);
  } else if (gatePayload !== undefined) {
    findings.push(warning('NO_GATE_VERDICT', 'the gate report is bound by a declared hash only: no gate verdict can be derived'));
  }
  for (const [key, value] of Object.entries(options.emissionContext)) {
    const local = key.slice('pop:'.length);
    if (performanceFacts.some(([k]) => k === local)) throw new InputError('USAGE', `emission context key ${key} would overwrite a fact the build TRO sets`);
    performanceFacts.push([local, value]);
  }

  const dateCreated = options.dateCreated ?? facts.buildDate;
  const troFacts: [string, PopValue][] = [];
  if (facts.buildDate !== undefined) troFacts.push(['buildDate', facts.buildDate]);
  if (options.selfUrl !== undefined) troFacts.push(['selfUrl', options.selfUrl]);

  return {
    flavour,
    popNamespace: texts.popNamespace,
    troName: `${texts.word} build TRO (${facts.buildId})`,
    troDescription: texts.troDescription,
    ...optional('dateCreated', dateCreated),
    createdWith: options.createdWith,
    trsName: texts.trsName,
    trsComment: texts.trsComment,
    performanceComment: `${texts.word} build ${facts.buildId}.`,
    ...optional('startedAt', options.startedAt),
    ...optional('endedAt', options.endedAt),
    troFacts,
    performanceFacts,
    artifacts,
    fingerprint: compositionFingerprint(
      artifacts.map((a) => a.sha256),
      'sha256-newline',
    ),
    facts,
    payloads,
    inputs: resolved.inputs,
    findings,
  };
}

/** populace until the rename, microcosm after: judged from the builder or the data package name. */
function flavourOf(facts: BuildFacts): BuildFlavour {
  if (facts.builder === 'microcosm' || facts.dataPackage === 'microcosm-data') return 'microcosm';
  return 'populace';
}

/**
 * An output at its resolve URL. Outputs are never flagged pop:accessRestricted, even in a private repo: in build
 * TROs that flag marks the restricted *inputs* a build consumed (populace's convention, which the build profile and
 * the audit rely on). A private output is reported as a finding instead; its URL still names the private repo.
 */
function plannedOutput(output: BuildOutput, releaseSignals: readonly RestrictionSignal[], revisionOverride: string | undefined, findings: BuildFinding[]): PlannedArtifact {
  const revision = revisionOverride ?? output.revision ?? 'main';
  if (revisionOverride === undefined && output.revision === undefined) {
    findings.push(warning('REVISION_MOVING', `output ${output.id} is located at revision main, a moving ref: pass the release's pinned revision`));
  } else if (revisionOverride !== undefined && output.revision !== undefined && output.revision !== revisionOverride) {
    findings.push(info('REVISION_OVERRIDDEN', `output ${output.id} is located at revision ${revisionOverride}, not the manifest's ${output.revision}`));
  }
  const signals = [...output.signals, ...releaseSignals];
  if (signals.length > 0) {
    findings.push(info('OUTPUT_NOT_PUBLIC', `output ${output.id} is not publicly reachable: ${signals.map(basisText).join('; ')}`));
  }
  const prefix = output.repoType === 'dataset' ? 'datasets/' : output.repoType === 'space' ? 'spaces/' : '';
  return {
    id: output.id,
    role: 'output',
    sha256: output.sha256,
    location: `${HF_HUB}/${prefix}${output.repoId}/resolve/${revision}/${output.path}`,
    name: output.path,
    ...optional('mimeType', buildMimeType(output.path)),
    restrictedInput: false,
    artifactFacts: [],
    locationFacts: [],
  };
}

function plannedInput(input: RestrictedInput): PlannedArtifact {
  const facts: [string, PopValue][] = [];
  const add = (key: string, value: PopValue | undefined): void => {
    if (value !== undefined) facts.push([key, value]);
  };
  add('ukdsStudyNumber', input.ukdsStudyNumber);
  add('ukdsEdition', input.ukdsEdition);
  add('doi', input.doi);
  add('irsAgreementId', input.irsAgreementId);
  add('licence', input.licence);
  add('sourceKind', input.sourceKind);
  add('sourceRecord', input.sourceRecord);
  add('sourceRegistrySha256', input.registrySha256);
  return {
    id: input.id,
    role: 'input',
    sha256: input.sha256,
    location: input.location,
    ...optional('name', input.name),
    ...optional('mimeType', input.mimeType),
    restrictedInput: true,
    artifactFacts: facts,
    locationFacts: restrictionFacts(input.signals),
  };
}

function plannedPayload(payload: BuildPayload): PlannedArtifact {
  return {
    id: payload.name,
    role: 'payload',
    sha256: payload.sha256,
    location: payload.location,
    name: payload.name,
    mimeType: 'application/json',
    restrictedInput: false,
    artifactFacts: [],
    locationFacts: [],
  };
}

/** `pop:accessRestricted true` and one `pop:restrictionBasis` per signal, or nothing for a public location. */
function restrictionFacts(signals: readonly RestrictionSignal[]): [string, PopValue][] {
  if (signals.length === 0) return [];
  return [
    ['accessRestricted', true],
    ['restrictionBasis', [...new Set(signals.map(basisText))]],
  ];
}

/**
 * The payloads in populace's order (build_config, gate_report, stage_records, then any other name in the order
 * given). For each name: a preimage file wins over a declared hash, which wins over what the manifest implies.
 */
function collectPayloads(facts: BuildFacts, options: BuildTroOptions, findings: BuildFinding[]): BuildPayload[] {
  const fromFiles = new Map<string, BuildPayload>();
  for (const p of options.payloads ?? []) {
    checkPayloadName(p.name);
    if (fromFiles.has(p.name)) throw new InputError('USAGE', `payload ${p.name} is given twice`);
    checkPayloadShape(p.name, p.doc, p.label);
    fromFiles.set(p.name, payloadFromValue(p.name, p.doc, `file ${p.label}`));
  }
  const declared = new Map<string, BuildPayload>();
  for (const d of options.declaredPayloads ?? []) {
    if (fromFiles.has(d.name) || declared.has(d.name)) throw new InputError('USAGE', `payload ${d.name} is given twice (a file and a declared hash, or two hashes)`);
    declared.set(d.name, payloadFromDeclaredHash(d.name, d.sha256));
  }
  const fromManifest = new Map<string, BuildPayload>();
  if (facts.buildConfig !== undefined) fromManifest.set('build_config', payloadFromValue('build_config', facts.buildConfig.value, facts.buildConfig.origin));
  if (facts.gateReport !== undefined) fromManifest.set('gate_report', payloadFromValue('gate_report', facts.gateReport.value, facts.gateReport.origin));
  if (facts.stageRecords !== undefined) fromManifest.set('stage_records', payloadFromValue('stage_records', facts.stageRecords.value, facts.stageRecords.origin));

  const names = [...KNOWN_PAYLOADS, ...[...fromFiles.keys(), ...declared.keys()].filter((n) => !KNOWN_PAYLOADS.includes(n))];
  const out: BuildPayload[] = [];
  for (const name of names) {
    const implied = fromManifest.get(name);
    const chosen = fromFiles.get(name) ?? declared.get(name) ?? implied;
    if (chosen === undefined) continue;
    if (implied !== undefined && chosen !== implied) {
      if (chosen.sha256 === implied.sha256) findings.push(info('PAYLOAD_CONFIRMED', `payload ${name} from ${chosen.origin} hashes the same as the manifest's (${implied.origin})`));
      else findings.push(warning('PAYLOAD_OVERRIDDEN', `payload ${name} from ${chosen.origin} replaces the manifest's (${implied.origin}), which hashes differently`));
    }
    if (chosen.bytes === undefined) {
      findings.push(warning('PAYLOAD_DECLARED', `payload ${name} is bound by a declared sha256 ${chosen.sha256}: no preimage was supplied, so nobody can recompute it`));
    }
    out.push(chosen);
  }
  return out;
}

/** The gate payload's value, from the same source `collectPayloads` chose (a file wins over the manifest). */
function gateValueOf(facts: BuildFacts, options: BuildTroOptions): JsonValue | undefined {
  const file = options.payloads?.find((p) => p.name === 'gate_report');
  if (file !== undefined) return file.doc;
  if (options.declaredPayloads?.some((d) => d.name === 'gate_report') === true) return undefined;
  return facts.gateReport?.value;
}

/** The populace shapes: stage records are a list, the gate report and build config objects. */
function checkPayloadShape(name: string, doc: JsonValue, label: string): void {
  const want = name === 'stage_records' ? 'array' : name === 'gate_report' || name === 'build_config' ? 'object' : undefined;
  if (want === 'array' && !Array.isArray(doc)) throw new InputError('MANIFEST_INVALID', 'stage records must be a JSON array', { location: { file: label, pointer: '' } });
  if (want === 'object' && !isJsonObject(doc)) throw new InputError('MANIFEST_INVALID', `${name} must be a JSON object`, { location: { file: label, pointer: '' } });
}
