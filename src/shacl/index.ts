// Barrel of the shacl area: shapes compiled once, per-document SHACL validation plus integrity checks, W3C reports.
export {
  type ShaclResultSeverity,
  type ShaclPath,
  type ShaclValidationResult,
  type ShaclReport,
  formatPath,
  predicatePath,
} from './report.js';
export {
  type ShaclEngineName,
  type ShapesSource,
  type CompiledShapes,
  parseShapes,
  compileShapes,
  validateShapes,
  compareResults,
} from './engine.js';
export { UnsupportedShapesError } from './core-engine.js';
export { ShapesIndex, ShapesGraphError } from './shapes-index.js';
export { DataIndex } from './data-index.js';
export {
  type ShaclProfile,
  type TroKind,
  type ShapesGraphName,
  SHACL_PROFILES,
  SHAPES_FILES,
  dialectGraph,
  shapesGraphsFor,
  guessTroKind,
  fingerprintRules,
  loadShapesGraphs,
} from './profiles.js';
export { type IntegrityInput, integrityChecks } from './integrity.js';
export { NodeNamer, definitionPointers } from './display.js';
export {
  type ShaclValidateOptions,
  type ResultDisplay,
  type DocumentResult,
  type DocumentShaclReport,
  shaclValidateDocument,
  shaclValidateFile,
} from './validate-document.js';
export { type NamedReport, reportQuads, reportTurtle, reportJsonLd } from './write-rdf.js';
export { type ShaclResultJson, type ShaclDocumentJson, shaclDocumentJson, formatShaclText } from './write-text.js';
export {
  PTC,
  PTC_FINGERPRINT,
  PTC_REFERENCE_DEFINED,
  PTC_LOCATION_IN_COMPOSITION,
  PTC_WARRANT_CHAIN,
} from './namespaces.js';
