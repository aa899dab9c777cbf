// Barrel of the report area: one self-contained HTML page on a TRO, a run record or a directory audit.
export type * from './model.js';
export { type ReportOptions, directoryReport, recordReport, recordTroFiles } from './collect.js';
export { renderReportHtml, MAX_RENDERED_PATHS, MAX_RENDERED_NODES } from './html.js';
export { lineageFromPaths, lineageFromRecord, MAX_DRAWN_NODES, type RecordTro } from './lineage.js';
export { escapeHtml } from './escape.js';
