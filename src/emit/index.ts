// Barrel of the emit area: PolicyEngine-compatible TROs built by SPARQL CONSTRUCT, framed to canonical bytes, and run records.
export { CONSTRUCT_BASE, PE_CONTEXT } from './vocab.js';
export { type MimeRule, mimeTypeFor, mimeTypeOf } from './mime.js';
export {
  type ContextPrefix,
  type EmissionContext,
  SCHEMA_EMITTED_IN,
  emittedIn,
  emittedInFor,
  emissionContextFromEnvironment,
  emissionContextFromEnvironmentFor,
  checkEmissionContext,
  checkEmissionContextFor,
} from './emission-context.js';
export {
  type RequestKind,
  type RequestArtifact,
  type PerformanceValue,
  type EmissionRequest,
  type RequestGraph,
  buildRequestGraph,
  troNode,
} from './request-graph.js';
export { type FramedTro, framePeTro } from './frame.js';
export { type TroQueryName, type EmitFinding, type EmittedTro, troQueryText, constructTroGraph, frameAndWrite, emitTro } from './pipeline.js';
export { type ReleaseManifestFacts, type PypiLookup, type BundleTroInput, type BundleTroPlan, emitBundleTro, planBundleTro } from './bundle-tro.js';
export {
  PAYLOAD_IDS,
  type PayloadId,
  type RuntimeValue,
  type SimulationTroInput,
  type SimulationTro,
  type SimulationTroPlan,
  type BundleTroReference,
  emitSimulationTro,
  planSimulationTro,
  bundleTroReference,
  checkTimestamp,
  runtimeEnvironmentFrom,
  resultsMetadataDefaults,
} from './simulation-tro.js';
export {
  type ParameterValueLike,
  type PolicyLike,
  type DatasetFile,
  type InputPayloadOptions,
  type TableShape,
  type ResultsPayloadOptions,
  SIMULATION_MODIFIER,
  reformPayload,
  inputPayload,
  resultsPayload,
  assertCertifiable,
  readPayloadFile,
} from './payloads.js';
export { type DirectoryEntry, type AtomicDirectoryOptions, writeDirectoryAtomically } from './atomic-dir.js';
export {
  type RunRecordOptions,
  type ResultsRecordOptions,
  type WrittenRecord,
  RUN_TRO_FILE,
  RESULTS_TRO_FILE,
  writeRunRecord,
  writeResultsRecord,
} from './run-record.js';
