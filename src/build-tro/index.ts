// Barrel of build-tro/: emitting data build TROs (populace, microcosm) from release manifests, payloads, restricted-input registries and gate verdicts.
export { BUILD_FLAVOURS, POP_MICROCOSM, POP_POPULACE, type BuildFlavour, buildContext, flavourTexts } from './vocab.js';
export {
  IdentifierError,
  doiUrl,
  normaliseDoi,
  normaliseIrsAgreementId,
  normaliseUkdsEdition,
  normaliseUkdsStudyNumber,
  ukdsFromDoi,
} from './identifiers.js';
export { type GateVerdicts, gateVerdicts } from './gates.js';
export { type BuildPayload, KNOWN_PAYLOADS, checkPayloadName, payloadFromDeclaredHash, payloadFromValue, payloadLocation } from './payloads.js';
export { buildMimeType } from './mime.js';
export { type RestrictionSignal, type RestrictionSignalKind, RESTRICTED_ACCESS, RESTRICTED_SOURCE_KINDS, basisText, isPrivateRepoId, privateReposIn } from './signals.js';
export type { BuildFinding } from './findings.js';
export {
  type BuildFacts,
  type BuildOutput,
  type HfRepoType,
  type PayloadSource,
  type ReadReleaseManifestOptions,
  type ReleaseManifestShape,
  DEFAULT_POPULACE_REPO,
  readBuildFacts,
} from './release-manifest.js';
export { type RegistryFile, type RegistryInput, type RegistryRecord, type SourceRegistry, parseRegistryDocument, readSourceRegistry } from './sources.js';
export {
  type InputField,
  type ResolvedInputs,
  type RestrictedInput as BuildRestrictedInput,
  type RestrictedInputSpec,
  parseRestrictedInputFlag,
  readRestrictedInputsFile,
  resolveRestrictedInputs,
} from './restricted-inputs.js';
export { type BuildEmissionContext, buildEmissionContextFromEnvironment, buildEmittedIn, checkBuildEmissionContext } from './emission-context.js';
export {
  type ArtifactRole as BuildArtifactRole,
  type BuildTroOptions,
  type BuildTroPlan,
  type LabelledDocument,
  type PlannedArtifact,
  type PopValue,
  planBuildTro,
} from './plan.js';
export { buildRequestGraph as buildBuildRequestGraph, buildTroNode } from './request-graph.js';
export { type FramedBuildTro, frameBuildTro } from './frame.js';
export {
  BUILD_TRO_QUERY,
  type EmittedBuildTro,
  type WriteBuildTroOptions,
  type WrittenBuildTro,
  emitBuildTro,
  emitPlannedBuildTro,
  payloadFileName,
  writeBuildPayloads,
  writeBuildTro,
} from './emit.js';
