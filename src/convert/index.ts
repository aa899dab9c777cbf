// Barrel of the convert area: dialect conversion to TROv 0.1 (SPARQL CONSTRUCT over the lifted graph) and its mapping report.
export { convertTro, CONVERT_QUERIES, type ConvertTarget, type ConvertOptions, type ConvertFinding, type ConvertedTro } from './convert.js';
export { chooseBase, baseProblems, checkBaseOption, PLACEHOLDER_BASE_PREFIX, type BaseSource, type ChosenBase, type BaseInputs } from './base.js';
export { termChanges, formatMappingReport, type MappingReport, type TermChangeEntry, type StructuralEntry } from './report.js';
export { prepareDocument, type PreparedDocument, type MintedId } from './prepare.js';
export { frameTrov, type FrameOptions, type FramedDocument, type FrameNote } from './frame.js';
export { planConversion, CV, type ConversionPlan, type PlanEvent, type PlanInputs } from './plan.js';
