// Writes shacl-validate reports for people (text grouped by document and focus node) and as pe-trace's own JSON.
import type { Term } from '@rdfjs/types';
import type { DocumentShaclReport } from './validate-document.js';

/** One result in pe-trace's JSON: every term named the way the document writes it, plus the full IRIs. */
export interface ShaclResultJson {
  readonly focusNode: string;
  /** The focus node's full IRI in the lifted graph (or `_:label` for a blank node). */
  readonly focusNodeIri: string;
  readonly pointer?: string;
  readonly path?: string;
  readonly value?: string;
  readonly severity: string;
  readonly component: string;
  readonly sourceShape?: string;
  readonly message: string;
}

export interface ShaclDocumentJson {
  readonly file: string;
  readonly dialect: string;
  readonly profile: string;
  readonly kind?: string;
  readonly shapesGraphs: readonly string[];
  readonly engine: string;
  readonly graph: string;
  readonly conforms: boolean;
  readonly results: readonly ShaclResultJson[];
  readonly warnings: readonly string[];
}

function termText(t: Term): string {
  return t.termType === 'BlankNode' ? `_:${t.value}` : t.value;
}

export function shaclDocumentJson(report: DocumentShaclReport): ShaclDocumentJson {
  return {
    file: report.file,
    dialect: report.dialect,
    profile: report.profile,
    ...(report.kind === undefined ? {} : { kind: report.kind }),
    shapesGraphs: report.shapesGraphs,
    engine: report.engine,
    graph: report.graph,
    conforms: report.conforms,
    results: report.results.map((r) => ({
      focusNode: r.display.focus,
      focusNodeIri: termText(r.focusNode),
      ...(r.display.pointer === undefined ? {} : { pointer: r.display.pointer }),
      ...(r.display.path === undefined ? {} : { path: r.display.path }),
      ...(r.display.value === undefined ? {} : { value: r.display.value }),
      severity: r.severity,
      component: r.display.component,
      ...(r.display.shape === undefined ? {} : { sourceShape: r.display.shape }),
      message: r.messages.join('; '),
    })),
    warnings: report.warnings,
  };
}

/** What was applied, in one parenthesis: `pe-0.1; profile auto: pe-0.1 + pe-extension + profile-bundle`. */
function applied(report: DocumentShaclReport): string {
  return `${report.dialect}; profile ${report.profile}: ${report.shapesGraphs.join(' + ')}`;
}

/**
 * The readable report: `ok: FILE (…)` or `not conforming: FILE (…), N results`, then per focus node its name (and
 * JSON pointer) and one `- path: message [component]` line per result, with the offending value when there is one.
 */
export function formatShaclText(reports: readonly DocumentShaclReport[]): string[] {
  const lines: string[] = [];
  for (const report of reports) {
    if (report.conforms) {
      lines.push(`ok: ${report.file} (${applied(report)})`);
      continue;
    }
    const n = report.results.length;
    lines.push(`not conforming: ${report.file} (${applied(report)}), ${n} result${n === 1 ? '' : 's'}`);
    let current: string | undefined;
    for (const r of report.results) {
      const key = `${r.focusNode.termType}:${r.focusNode.value}`;
      if (key !== current) {
        current = key;
        lines.push(`  ${r.display.focus}${r.display.pointer === undefined ? '' : ` (${r.display.pointer || '/'})`}`);
      }
      const severity = r.severity === 'Violation' ? '' : `${r.severity.toLowerCase()}: `;
      const path = r.display.path === undefined ? '' : `${r.display.path}: `;
      const showValue = r.display.value !== undefined && !r.value?.equals(r.focusNode);
      const value = showValue ? ` (value ${r.display.value})` : '';
      lines.push(`    - ${severity}${path}${r.messages.join('; ')}${value} [${r.display.component}]`);
    }
  }
  return lines;
}
