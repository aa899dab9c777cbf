// Renders a vocabulary as one static, self-contained HTML page: header metadata, then tables of classes, properties and mappings with an anchor per term.
import type { Quad } from 'n3';
import { compareCodePoints } from '../json/canonical.js';
import type { Vocabulary } from './load.js';
import { TERM_TYPES } from './load.js';
import { DCTERMS_NS, OWL_NS, PTM_NS, RDFS_NS, RDF_NS, SCHEMA_NS, VANN_NS, VOCAB_PREFIXES, VS_NS, compactIri, namespaceOf } from './namespaces.js';

const RDF_TYPE = `${RDF_NS}type`;
const CLASS_TYPES = [`${RDFS_NS}Class`, `${OWL_NS}Class`];

type Props = ReadonlyMap<string, readonly Quad['object'][]>;

/** Statements grouped by subject IRI, then by predicate. */
function index(quads: readonly Quad[]): Map<string, Map<string, Quad['object'][]>> {
  const out = new Map<string, Map<string, Quad['object'][]>>();
  for (const q of quads) {
    if (q.subject.termType !== 'NamedNode') continue;
    let props = out.get(q.subject.value);
    if (props === undefined) out.set(q.subject.value, (props = new Map()));
    const list = props.get(q.predicate.value);
    if (list === undefined) props.set(q.predicate.value, [q.object]);
    else list.push(q.object);
  }
  return out;
}

/**
 * The vocabulary's namespace when the header names none (vann:preferredNamespaceUri): the ontology IRI if it ends in
 * `#` or `/`, else the namespace most of its defined terms share.
 */
function termNamespace(subjects: ReadonlyMap<string, ReadonlyMap<string, readonly Quad['object'][]>>, ontologyIri: string | undefined): string {
  if (ontologyIri !== undefined && /[#/]$/.test(ontologyIri)) return ontologyIri;
  const counts = new Map<string, number>();
  for (const [s, props] of subjects) {
    if (!(props.get(RDF_TYPE) ?? []).some((t) => TERM_TYPES.includes(t.value))) continue;
    const ns = namespaceOf(s);
    counts.set(ns, (counts.get(ns) ?? 0) + 1);
  }
  return [...counts].sort(([a, na], [b, nb]) => nb - na || compareCodePoints(a, b))[0]?.[0] ?? '';
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface HtmlOptions {
  /** Prefixes for displaying IRIs (default: pe-trace's vocabulary prefixes plus the vocabulary's own). */
  readonly prefixes?: Readonly<Record<string, string>>;
}

/** The page for one vocabulary. Deterministic: the same quads give the same bytes. */
export function renderVocabularyHtml(vocab: Vocabulary, options: HtmlOptions = {}): string {
  const prefixes = { ...vocab.prefixes, ...VOCAB_PREFIXES, ...(options.prefixes ?? {}) };
  const subjects = index(vocab.quads);
  const texts = (props: Props | undefined, p: string): string[] => (props?.get(p) ?? []).map((o) => o.value).sort(compareCodePoints);
  const first = (props: Props | undefined, p: string): string | undefined => texts(props, p)[0];

  const ontologyIri = [...subjects].filter(([, props]) => texts(props, RDF_TYPE).includes(`${OWL_NS}Ontology`)).map(([s]) => s).sort(compareCodePoints)[0];
  const ontology = ontologyIri === undefined ? undefined : subjects.get(ontologyIri);
  const ns = first(ontology, `${VANN_NS}preferredNamespaceUri`) ?? termNamespace(subjects, ontologyIri);
  const nsPrefix = first(ontology, `${VANN_NS}preferredNamespacePrefix`) ?? vocab.id;
  const title = first(ontology, `${DCTERMS_NS}title`) ?? first(ontology, `${RDFS_NS}label`) ?? vocab.id;

  const link = (iri: string): string => {
    const compacted = compactIri(iri, prefixes);
    const text = escapeHtml(compacted.startsWith('<') ? iri : compacted);
    if (ns !== '' && iri.startsWith(ns) && subjects.has(iri)) return `<a href="#${escapeHtml(iri.slice(ns.length))}"><code>${text}</code></a>`;
    return `<a href="${escapeHtml(iri)}"><code>${text}</code></a>`;
  };
  const objects = (props: Props | undefined, ...ps: string[]): string => objectList(props, ' or ', ...ps);
  const objectList = (props: Props | undefined, separator: string, ...ps: string[]): string =>
    ps
      .flatMap((p) => props?.get(p) ?? [])
      .map((o) => (o.termType === 'NamedNode' ? o.value : undefined))
      .filter((v): v is string => v !== undefined)
      .sort(compareCodePoints)
      .map(link)
      .join(separator);

  const ownTerms = [...subjects]
    .filter(([s, props]) => ns !== '' && s.startsWith(ns) && texts(props, RDF_TYPE).some((t) => TERM_TYPES.includes(t)))
    .sort(([a], [b]) => compareCodePoints(a, b));
  const classes = ownTerms.filter(([, props]) => texts(props, RDF_TYPE).some((t) => CLASS_TYPES.includes(t)));
  const properties = ownTerms.filter(([, props]) => !texts(props, RDF_TYPE).some((t) => CLASS_TYPES.includes(t)));
  const values = [...subjects]
    .filter(([s, props]) => ns !== '' && s.startsWith(ns) && !texts(props, RDF_TYPE).some((t) => TERM_TYPES.includes(t) || t === `${OWL_NS}Ontology`))
    .sort(([a], [b]) => compareCodePoints(a, b));
  const mappings = [...subjects].filter(([, props]) => texts(props, RDF_TYPE).includes(`${PTM_NS}TermMapping`)).sort(([a], [b]) => compareCodePoints(a, b));

  const termRow = ([iri, props]: [string, Props], withDomain: boolean): string => {
    const local = iri.slice(ns.length);
    const also = objectList(props, ', ', `${RDFS_NS}subClassOf`, `${RDFS_NS}subPropertyOf`, `${OWL_NS}equivalentProperty`, `${OWL_NS}equivalentClass`);
    const cells = [
      `<td id="${escapeHtml(local)}"><a href="#${escapeHtml(local)}"><code>${escapeHtml(`${nsPrefix}:${local}`)}</code></a></td>`,
      `<td>${escapeHtml(texts(props, `${RDFS_NS}label`).join('; '))}</td>`,
      `<td>${escapeHtml(texts(props, `${RDFS_NS}comment`).join(' '))}</td>`,
      ...(withDomain ? [`<td>${objects(props, `${RDFS_NS}domain`, `${SCHEMA_NS}domainIncludes`)}</td>`, `<td>${objects(props, `${RDFS_NS}range`)}</td>`] : []),
      `<td>${escapeHtml(texts(props, `${VS_NS}term_status`).join(', '))}</td>`,
      `<td>${also}</td>`,
    ];
    return `<tr>${cells.join('')}</tr>`;
  };
  const table = (caption: string, id: string, rows: readonly string[], headers: readonly string[]): string =>
    rows.length === 0
      ? ''
      : [
          `<h2 id="${id}">${escapeHtml(caption)} (${rows.length})</h2>`,
          '<table>',
          `<thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
          '<tbody>',
          ...rows,
          '</tbody>',
          '</table>',
        ].join('\n');

  const meta: [string, string][] = [];
  const addMeta = (label: string, value: string): void => {
    if (value !== '') meta.push([label, value]);
  };
  addMeta('Ontology IRI', ontologyIri === undefined ? '' : link(ontologyIri));
  addMeta('Version IRI', objects(ontology, `${OWL_NS}versionIRI`));
  addMeta('Version', escapeHtml(texts(ontology, `${OWL_NS}versionInfo`).join(', ')));
  addMeta('Namespace', ns === '' ? '' : `<code>${escapeHtml(ns)}</code> (preferred prefix <code>${escapeHtml(nsPrefix)}:</code>)`);
  addMeta('Licence', objects(ontology, `${DCTERMS_NS}license`));
  addMeta('Creator', escapeHtml(texts(ontology, `${DCTERMS_NS}creator`).join(', ')));
  addMeta('Publisher', escapeHtml(texts(ontology, `${DCTERMS_NS}publisher`).join(', ')));
  addMeta('See also', objectList(ontology, ', ', `${RDFS_NS}seeAlso`));
  addMeta('Source files', escapeHtml(vocab.files.map((f) => `vocab/${f}`).join(', ')));
  const description = texts(ontology, `${DCTERMS_NS}description`)
    .flatMap((d) => d.split(/\n\s*\n/))
    .map((para) => `<p>${escapeHtml(para.trim())}</p>`)
    .join('\n');

  const mappingRows = mappings.map(([iri, props]) => {
    const from = objects(props, `${PTM_NS}fromTerm`);
    const to = (props.get(`${PTM_NS}toTerm`) ?? []).map((o) => o.value).sort(compareCodePoints).map(link).join(', ');
    const change = texts(props, `${PTM_NS}change`).map((c) => escapeHtml(compactIri(c, prefixes))).join(', ');
    const where = objects(props, `${PTM_NS}subjectClass`);
    const local = compactIri(iri, prefixes);
    return `<tr><td id="${escapeHtml(local)}">${from}${where === '' ? '' : ` on ${where}`}</td><td>${to}</td><td>${change}</td><td>${escapeHtml(texts(props, `${PTM_NS}dialect`).join(', '))}</td><td>${escapeHtml(texts(props, `${RDFS_NS}comment`).join(' '))}</td></tr>`;
  });

  const sections = [
    table('Classes', 'classes', classes.map((c) => termRow(c, false)), ['Term', 'Label', 'Comment', 'Status', 'Subclass of / equivalent to']),
    table('Properties', 'properties', properties.map((p) => termRow(p, true)), ['Term', 'Label', 'Comment', 'Domain', 'Range', 'Status', 'Subproperty of / equivalent to']),
    table(
      'Named values',
      'values',
      values.map(([iri, props]) => {
        const local = iri.slice(ns.length);
        return `<tr><td id="${escapeHtml(local)}"><code>${escapeHtml(`${nsPrefix}:${local}`)}</code></td><td>${objects(props, RDF_TYPE)}</td><td>${escapeHtml(texts(props, `${RDFS_NS}label`).join('; '))}</td><td>${escapeHtml(texts(props, `${RDFS_NS}comment`).join(' '))}</td></tr>`;
      }),
      ['Value', 'Type', 'Label', 'Comment'],
    ),
    table('Term mappings', 'mappings', mappingRows, ['Spelling', 'Becomes', 'Change', 'Dialects', 'Note']),
  ].filter((s) => s !== '');

  return `${[
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    '<dl>',
    ...meta.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`),
    '</dl>',
    description,
    '<nav><ul>',
    ...[['classes', classes.length], ['properties', properties.length], ['values', values.length], ['mappings', mappings.length]]
      .filter(([, n]) => n !== 0)
      .map(([id, n]) => `<li><a href="#${String(id)}">${String(id)}</a> (${String(n)})</li>`),
    '</ul></nav>',
    ...sections,
    '<footer><p>Generated by <code>pe-trace vocab export</code> from the Turtle source.</p></footer>',
    '</body>',
    '</html>',
  ].join('\n')}\n`;
}

const STYLE = [
  'body{font-family:system-ui,sans-serif;max-width:80rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1a1a1a}',
  'table{border-collapse:collapse;width:100%;margin-bottom:2rem;font-size:.92rem}',
  'th,td{border:1px solid #ccc;padding:.35rem .5rem;vertical-align:top;text-align:left}',
  'th{background:#f2f2f2}',
  'td:target{background:#fff6c8}',
  'dt{font-weight:600;float:left;clear:left;width:9rem}',
  'dd{margin-left:10rem;margin-bottom:.3rem}',
  'code{font-size:.9em}',
].join('');
