// Streamed SELECT output: the pieces of selectStreamWriter, joined, are the whole-answer writers' bytes for any batching.
import { describe, expect, it } from 'vitest';
import {
  type SparqlBinding,
  type SparqlJsonResults,
  type ResultPiece,
  TABLE_PAGE_ROWS,
  selectStreamWriter,
  selectToCsv,
  selectToJson,
  selectToTable,
  selectToTsv,
} from '../../../src/index.js';

const VARS = ['s', 'label', 'n'];

/** Hostile-ish rows: quotes, commas, CR/LF, TAB, U+2028, lang and datatype literals, blank nodes, unbound variables. */
function rows(count: number): SparqlBinding[] {
  const out: SparqlBinding[] = [];
  for (let i = 0; i < count; i++) {
    const b: Record<string, SparqlBinding[string]> = {};
    if (i % 7 !== 3) b['s'] = i % 5 === 0 ? { type: 'bnode', value: `b${i}` } : { type: 'uri', value: `https://example.org/thing/${i}${'x'.repeat(i % 13)}` };
    if (i % 4 === 0) b['label'] = { type: 'literal', value: `a "quoted", comma\r\nline ${i}\u2028sep\ttab`, 'xml:lang': 'en' };
    else if (i % 4 === 1) b['label'] = { type: 'literal', value: `plain ${i}` };
    if (i % 3 === 0) b['n'] = { type: 'literal', value: String(i), datatype: 'http://www.w3.org/2001/XMLSchema#integer' };
    out.push(b);
  }
  return out;
}

const text = (p: ResultPiece): string => ('data' in p ? p.data : p.lines.map((l) => `${l}\n`).join(''));

/** Pushes `all` in batches of the given sizes (cycled) and joins every piece, then the end. */
function streamed(format: 'json' | 'csv' | 'tsv' | 'table', all: readonly SparqlBinding[], sizes: readonly number[]): string {
  const w = selectStreamWriter(format, VARS, { ex: 'https://example.org/' });
  let out = '';
  for (let i = 0, k = 0; i < all.length; k++) {
    const n = sizes[k % sizes.length] ?? 1;
    const piece = w.push(all.slice(i, i + n));
    if (piece !== undefined) out += text(piece);
    i += n;
  }
  return out + text(w.end());
}

const whole = (bindings: readonly SparqlBinding[]): SparqlJsonResults => ({ head: { vars: VARS }, results: { bindings } });

describe('selectStreamWriter', () => {
  for (const count of [0, 1, 2, 57, 2500]) {
    for (const sizes of [[1], [1000], [3, 0, 250, 1]]) {
      it(`writes ${count} rows in batches of ${sizes.join('/')} exactly as the whole-answer writers (json, csv, tsv)`, () => {
        const all = rows(count);
        expect(streamed('json', all, sizes)).toBe(selectToJson(whole(all)));
        expect(streamed('csv', all, sizes)).toBe(selectToCsv(whole(all)));
        expect(streamed('tsv', all, sizes)).toBe(selectToTsv(whole(all)));
      });
    }
  }

  it('keeps the JSON a valid W3C document when a value holds U+2028 (no indentation pushed into the value)', () => {
    const all = rows(9);
    expect(JSON.parse(streamed('json', all, [2]))).toEqual(whole(all));
  });

  it('prints a table that ends within its first page exactly as selectToTable', () => {
    for (const count of [0, 1, TABLE_PAGE_ROWS - 1]) {
      const all = rows(count);
      expect(streamed('table', all, [7])).toBe(selectToTable(whole(all), { ex: 'https://example.org/' }));
    }
  });

  it('prints a longer table with the first page\'s widths, every row once, and the full count', () => {
    const all = rows(TABLE_PAGE_ROWS + 321);
    const w = selectStreamWriter('table', VARS, {});
    expect(w.push(all.slice(0, TABLE_PAGE_ROWS - 1))).toBeUndefined();
    const first = w.push(all.slice(TABLE_PAGE_ROWS - 1, TABLE_PAGE_ROWS));
    expect(first !== undefined && 'lines' in first ? first.lines.length : -1).toBe(TABLE_PAGE_ROWS + 2);
    const rest = w.push(all.slice(TABLE_PAGE_ROWS));
    expect(rest !== undefined && 'lines' in rest ? rest.lines.length : -1).toBe(321);
    expect(w.end()).toEqual({ lines: [`(${TABLE_PAGE_ROWS + 321} rows)`] });
    // Same header and first-page lines as the table of the first page alone.
    const firstPage = selectToTable(whole(all.slice(0, TABLE_PAGE_ROWS))).split('\n');
    expect(first !== undefined && 'lines' in first ? first.lines : []).toEqual(firstPage.slice(0, TABLE_PAGE_ROWS + 2));
  });
});
