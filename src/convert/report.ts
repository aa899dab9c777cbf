// The mapping report of a conversion: every term changed or dropped (with counts and JSON pointers of the original) and every structural change.
import { compareCodePoints } from '../json/canonical.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../json/value.js';
import { type ActiveContext, EMPTY_CONTEXT, expandVocab, extendContext, pointerJoin } from '../tro/jsonld-view.js';
import { TROV_01_NS, TROV_2023_05_NS, VOCAB_PREFIXES, compactIri, localNameOf } from '../vocab/namespaces.js';
import { type TermChange, resolveTerm } from '../vocab/term-registry.js';

/** One kind of term change, with how often and where (JSON pointers into the ORIGINAL document). */
export interface TermChangeEntry {
  /** The spelling as read, compact (`trov:sha256`, `trov2305:hasLocus`) or `<iri>`, or the raw key when unmapped. */
  readonly from: string;
  readonly to: readonly string[];
  readonly change: Exclude<TermChange, 'unchanged' | 'kept-as-extension'>;
  readonly kind: 'class' | 'property';
  /** The registry entry or namespace rule that decided (`v01-sha256`), or `json-ld` for keys JSON-LD cannot map. */
  readonly by: string;
  readonly count: number;
  readonly pointers: readonly string[];
}

/** A structural change (a conversion rule applied), with where. */
export interface StructuralEntry {
  /** A conversion rule id of the term map (`rule-arrangement-binding`, …) or `dropped-node`, `dropped-null`. */
  readonly rule: string;
  readonly summary: string;
  readonly count: number;
  readonly pointers: readonly string[];
}

export interface MappingReport {
  readonly changes: readonly TermChangeEntry[];
  readonly structural: readonly StructuralEntry[];
}

const POSITION_CLASS: Readonly<Record<string, string>> = {
  hasArtifactLocation: `${TROV_01_NS}ArtifactLocation`,
  hasLocus: `${TROV_01_NS}ArtifactLocation`,
};

/**
 * Walks the original document (its own context, offline) and resolves every key and `@type` value with the
 * registry, exactly as the conversion plan does; unchanged and extension terms are not listed.
 */
export function termChanges(doc: JsonValue, label: string): TermChangeEntry[] {
  const groups = new Map<string, { entry: Omit<TermChangeEntry, 'count' | 'pointers'>; pointers: string[] }>();
  const add = (entry: Omit<TermChangeEntry, 'count' | 'pointers'>, pointer: string): void => {
    const key = `${entry.change}|${entry.from}|${entry.to.join(',')}|${entry.by}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { entry, pointers: [pointer] });
    else g.pointers.push(pointer);
  };
  const show = (iri: string): string => compactIri(iri, { ...VOCAB_PREFIXES, trov2305: TROV_2023_05_NS });

  const visitNode = (node: JsonObject, pointer: string, outer: ActiveContext, positionClass: string | undefined): void => {
    const ctx = node['@context'] === undefined ? outer : extendContext(outer, node['@context'], { label, pointer: pointerJoin(pointer, '@context') });
    const classes: string[] = positionClass === undefined ? [] : [positionClass];
    const rawTypes = node['@type'];
    const typeList = rawTypes === undefined ? [] : Array.isArray(rawTypes) ? rawTypes : [rawTypes];
    typeList.forEach((t, i) => {
      if (typeof t !== 'string') return;
      const iri = expandVocab(ctx, t);
      if (iri === null) return;
      const r = resolveTerm(iri);
      classes.push(...r.to);
      if (r.change !== 'unchanged' && r.change !== 'kept-as-extension') {
        const at = Array.isArray(rawTypes) ? pointerJoin(pointerJoin(pointer, '@type'), i) : pointerJoin(pointer, '@type');
        add({ from: show(iri), to: r.to.map(show), change: r.change, kind: 'class', by: r.by ?? '' }, at);
      }
    });
    for (const key of Object.keys(node)) {
      if (key.startsWith('@')) continue;
      const at = pointerJoin(pointer, key);
      const iri = expandVocab(ctx, key);
      const value = node[key] ?? null;
      if (iri === null || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(iri)) {
        add({ from: key, to: [], change: 'dropped', kind: 'property', by: 'json-ld' }, at);
        continue;
      }
      const r = resolveTerm(iri, classes);
      if (r.change !== 'unchanged' && r.change !== 'kept-as-extension') {
        add({ from: show(iri), to: r.to.map(show), change: r.change, kind: 'property', by: r.by ?? '' }, at);
      }
      const childClass = iri.startsWith(TROV_01_NS) || iri.startsWith(TROV_2023_05_NS) ? POSITION_CLASS[localNameOf(iri)] : undefined;
      visitValue(value, at, ctx, childClass);
    }
  };
  const visitValue = (v: JsonValue, pointer: string, ctx: ActiveContext, positionClass: string | undefined): void => {
    if (Array.isArray(v)) v.forEach((item, i) => visitValue(item, pointerJoin(pointer, i), ctx, positionClass));
    else if (isJsonObject(v) && v['@value'] === undefined) {
      if (Array.isArray(v['@list'])) visitValue(v['@list'], pointerJoin(pointer, '@list'), ctx, positionClass);
      else visitNode(v, pointer, ctx, positionClass);
    }
  };

  if (isJsonObject(doc)) {
    const ctx = doc['@context'] === undefined ? EMPTY_CONTEXT : extendContext(EMPTY_CONTEXT, doc['@context'], { label, pointer: '/@context' });
    const graph = doc['@graph'];
    if (graph === undefined) visitNode(doc, '', EMPTY_CONTEXT, undefined);
    else visitValue(graph, '/@graph', ctx, undefined);
  } else if (Array.isArray(doc)) {
    visitValue(doc, '', EMPTY_CONTEXT, undefined);
  }
  return [...groups.values()]
    .map(({ entry, pointers }) => ({ ...entry, count: pointers.length, pointers }))
    .sort((a, b) => compareCodePoints(a.change, b.change) || compareCodePoints(a.from, b.from) || compareCodePoints(a.to.join(','), b.to.join(',')));
}

/** The report as text lines (at most `maxPointers` pointers per entry; the JSON report has them all). */
export function formatMappingReport(report: MappingReport, maxPointers = 3): string[] {
  const lines: string[] = [];
  const where = (pointers: readonly string[]): string => {
    const shown = pointers.slice(0, maxPointers).map((p) => p || '/');
    return `${shown.join(' ')}${pointers.length > maxPointers ? ` (+${pointers.length - maxPointers} more)` : ''}`;
  };
  if (report.changes.length === 0) lines.push('term changes: none');
  else {
    lines.push('term changes:');
    for (const c of report.changes) {
      const to = c.to.length === 0 ? '(dropped)' : c.to.join(', ');
      lines.push(`  ${c.change.padEnd(15)} ${c.from} -> ${to}  x${c.count}  ${where(c.pointers)}`);
    }
  }
  if (report.structural.length > 0) {
    lines.push('structural changes:');
    for (const s of report.structural) lines.push(`  ${s.summary}  x${s.count}${s.pointers.length > 0 ? `  ${where(s.pointers)}` : ''}`);
  }
  return lines;
}
