// Writes SELECT results piece by piece as rows arrive, in exactly the bytes the whole-answer writers of results.ts give.
import {
  type ResultFormat,
  type SparqlBinding,
  padTableRow,
  selectToCsv,
  selectToJson,
  selectToTsv,
  tableCells,
  tableFooter,
  tableWidths,
} from './results.js';

/** Rows the table holds before it prints: its column widths come from the header and these rows. */
export const TABLE_PAGE_ROWS = 1000;

/** A piece of output: `data` is a data format's own bytes; `lines` are human table lines (the caller escapes each). */
export type ResultPiece = { readonly data: string } | { readonly lines: readonly string[] };

/** An incremental writer of one SELECT answer: `push` each batch of rows, then `end` once. */
export interface SelectStreamWriter {
  push(rows: readonly SparqlBinding[]): ResultPiece | undefined;
  end(): ResultPiece;
}

/**
 * A writer whose pieces, joined, equal selectToJson/Csv/Tsv of the whole answer byte for byte. The W3C JSON is
 * streamed as its head, the bindings and its closing brackets (the head is held back until the first row, so an
 * empty answer is written `"bindings": []` as before). The table (a human format) holds up to TABLE_PAGE_ROWS
 * rows: an answer that ends within them is printed as selectToTable prints it; a longer one is printed with the
 * widths of its first page, and later rows are padded to those widths (a longer cell pushes its line out).
 * Table cells are written as they are: escape them for the terminal before pushing.
 */
export function selectStreamWriter(format: Exclude<ResultFormat, 'nquads'>, vars: readonly string[], prefixes: Readonly<Record<string, string>> = {}): SelectStreamWriter {
  const head = { head: { vars: [...vars] } };
  const whole = (bindings: readonly SparqlBinding[]): { head: { vars: string[] }; results: { bindings: readonly SparqlBinding[] } } => ({ ...head, results: { bindings } });
  switch (format) {
    case 'csv':
    case 'tsv': {
      const render = format === 'csv' ? selectToCsv : selectToTsv;
      const eol = format === 'csv' ? '\r\n' : '\n';
      let started = false;
      const header = (): string => {
        if (started) return '';
        started = true;
        return render(whole([]));
      };
      // The whole-answer writer cut at its header line: every row is one line, each ending with the format's EOL.
      const rowsOnly = (rows: readonly SparqlBinding[]): string => {
        const text = render(whole(rows));
        return text.slice(text.indexOf(eol) + eol.length);
      };
      return {
        push: (rows) => (rows.length === 0 ? undefined : { data: header() + rowsOnly(rows) }),
        end: () => ({ data: header() }),
      };
    }
    case 'json': {
      // The two-space indented document around one placeholder binding: what comes before and after the bindings.
      const skeleton = selectToJson(whole([{ PLACEHOLDER: { type: 'literal', value: '' } }]));
      // Indented by splitting at '\n' only: a /^/m regex would also break after a raw U+2028 inside a value.
      const indent = (text: string): string => text.split('\n').map((line) => `      ${line}`).join('\n');
      const placeholder = indent(JSON.stringify({ PLACEHOLDER: { type: 'literal', value: '' } }, null, 2));
      const at = skeleton.indexOf(placeholder);
      const before = skeleton.slice(0, at);
      const after = skeleton.slice(at + placeholder.length);
      const binding = (b: SparqlBinding): string => indent(JSON.stringify(b, null, 2));
      let count = 0;
      return {
        push: (rows) => {
          if (rows.length === 0) return undefined;
          const text = (count === 0 ? before : ',\n') + rows.map(binding).join(',\n');
          count += rows.length;
          return { data: text };
        },
        end: () => ({ data: count === 0 ? selectToJson(whole([])) : after }),
      };
    }
    default: {
      let held: SparqlBinding[] = [];
      let widths: number[] | undefined;
      let count = 0;
      // The lines selectToTable writes for the held rows (header, rule, rows), the widths fixed from them.
      const flush = (): string[] => {
        const cells = held.map((b) => tableCells(b, vars, prefixes));
        held = [];
        const w = tableWidths(vars, cells);
        widths = w;
        return [padTableRow(vars, w), padTableRow(w.map((n) => '-'.repeat(n)), w), ...cells.map((c) => padTableRow(c, w))];
      };
      return {
        push: (rows) => {
          count += rows.length;
          if (widths === undefined) {
            held.push(...rows);
            return held.length < TABLE_PAGE_ROWS ? undefined : { lines: flush() };
          }
          const w = widths;
          return rows.length === 0 ? undefined : { lines: rows.map((b) => padTableRow(tableCells(b, vars, prefixes), w)) };
        },
        end: () => ({ lines: [...(widths === undefined ? flush() : []), tableFooter(count)] }),
      };
    }
  }
}
