// Renders citation facts as text, BibTeX, CFF 1.2.0, RIS, DataCite JSON (kernel 4.5) and CSL-JSON: deterministic bytes.
import { stringify } from 'yaml';
import { InputError } from '../errors.js';
import type { CitationFacts } from './facts.js';

export const CITATION_FORMATS = ['text', 'bibtex', 'cff', 'ris', 'datacite', 'csl-json'] as const;
export type CitationFormat = (typeof CITATION_FORMATS)[number];

/** The media type and usual file extension of each format (for exports and `--json`). */
export const CITATION_MEDIA: Readonly<Record<CitationFormat, { mediaType: string; fileName: string }>> = {
  text: { mediaType: 'text/plain', fileName: 'CITATION.txt' },
  bibtex: { mediaType: 'application/x-bibtex', fileName: 'CITATION.bib' },
  cff: { mediaType: 'application/x-yaml', fileName: 'CITATION.cff' },
  ris: { mediaType: 'application/x-research-info-systems', fileName: 'CITATION.ris' },
  datacite: { mediaType: 'application/vnd.datacite.datacite+json', fileName: 'datacite.json' },
  'csl-json': { mediaType: 'application/vnd.citationstyles.csl+json', fileName: 'citation.csl.json' },
};

/** `label` names the record in errors (DataCite refuses a record without a date). */
export function renderCitation(f: CitationFacts, format: CitationFormat, options: { label?: string } = {}): string {
  switch (format) {
    case 'text':
      return citationText(f);
    case 'bibtex':
      return bibtex(f);
    case 'cff':
      return cff(f);
    case 'ris':
      return ris(f);
    case 'datacite':
      return `${JSON.stringify(datacite(f, options), null, 2)}\n`;
    case 'csl-json':
      return `${JSON.stringify(cslJson(f), null, 2)}\n`;
  }
}

const year = (f: CitationFacts): string | undefined => (f.dateParts === undefined ? undefined : String(f.dateParts[0]));
const isoDay = (f: CitationFacts): string | undefined => {
  const p = f.dateParts;
  if (p?.[1] === undefined || p[2] === undefined) return undefined;
  return `${p[0]}-${String(p[1]).padStart(2, '0')}-${String(p[2]).padStart(2, '0')}`;
};
const fpText = (f: CitationFacts): string => `${f.fingerprintAlgorithm}:${f.fingerprint}`;

/** A one-paragraph plain-text citation. */
export function citationText(f: CitationFacts): string {
  const parts = [`${f.institution} (${year(f) ?? 'n.d.'}). ${f.title}.`, `Composition fingerprint ${fpText(f)}.`];
  const pins: string[] = [];
  if (f.modelPackage !== undefined) pins.push(`Model ${f.modelPackage}${f.modelVersion === undefined ? '' : ` ${f.modelVersion}`}`);
  if (f.dataPackage !== undefined) pins.push(`data ${f.dataPackage}${f.dataVersion === undefined ? '' : ` ${f.dataVersion}`}`);
  if (f.dataBuild !== undefined) pins.push(`build ${f.dataBuild}`);
  if (f.dataset !== undefined) pins.push(`dataset ${f.dataset}`);
  if (f.bundleId !== undefined) pins.push(`bundle ${f.bundleId}`);
  if (pins.length > 0) parts.push(`${pins.join('; ')}.`);
  if (f.date !== undefined) parts.push(`Created ${f.date}.`);
  if (f.manifestCitation !== undefined) parts.push(`Bundle citation: ${f.manifestCitation}.`);
  if (f.doi !== undefined) parts.push(`https://doi.org/${f.doi}`);
  else if (f.url !== undefined) parts.push(f.url);
  return `${parts.join(' ')}\n`;
}

/** Escapes text for a BibTeX field inside braces (LaTeX specials; non-ASCII kept as UTF-8, which biber reads). */
function tex(s: string): string {
  return s.replace(/[\\{}$&%#_^~]/g, (c) => ({ '\\': '\\textbackslash{}', '{': '\\{', '}': '\\}', $: '\\$', '&': '\\&', '%': '\\%', '#': '\\#', _: '\\_', '^': '\\^{}', '~': '\\~{}' })[c] ?? c);
}

function bibtex(f: CitationFacts): string {
  const fields: [string, string][] = [
    ['author', `{${tex(f.institution)}}`],
    ['title', `{${tex(f.title)}}`],
  ];
  if (year(f) !== undefined) fields.push(['year', year(f) as string]);
  if (f.dateParts?.[1] !== undefined) fields.push(['month', String(f.dateParts[1])]);
  fields.push(['publisher', tex(f.institution)]);
  if (f.softwareVersion !== undefined) fields.push(['version', tex(f.softwareVersion)]);
  if (f.doi !== undefined) fields.push(['doi', tex(f.doi)]);
  if (f.url !== undefined) fields.push(['url', f.url.replace(/[{}\\]/g, '')]);
  fields.push(['note', tex(`${f.description}${f.manifestCitation === undefined ? '' : ` Bundle citation: ${f.manifestCitation}.`}`)]);
  const body = fields.map(([k, v]) => `  ${k} = {${v}}`).join(',\n');
  return `@misc{${f.key},\n${body}\n}\n`;
}

function cff(f: CitationFacts): string {
  const doc: Record<string, unknown> = {
    'cff-version': '1.2.0',
    message: 'If you use this result, please cite it using the metadata from this file.',
    type: 'dataset',
    title: f.title,
    authors: [{ name: f.institution, ...(f.institutionUrl === undefined ? {} : { website: f.institutionUrl }) }],
    abstract: `${f.description}${f.manifestCitation === undefined ? '' : ` Bundle citation: ${f.manifestCitation}.`}`,
    identifiers: [{ type: 'other', value: fpText(f), description: 'TRACE TRO composition fingerprint' }],
  };
  if (f.doi !== undefined) doc['doi'] = f.doi;
  if (f.url !== undefined) doc['url'] = f.url;
  if (isoDay(f) !== undefined) doc['date-released'] = isoDay(f);
  if (f.softwareVersion !== undefined) doc['version'] = f.softwareVersion;
  const keywords = ['TRACE', 'TRO', 'PolicyEngine', f.modelPackage, f.dataPackage, f.dataset].filter((x): x is string => x !== undefined);
  doc['keywords'] = [...new Set(keywords)];
  return stringify(doc, { lineWidth: 0 });
}

function ris(f: CitationFacts): string {
  // RIS: "TAG  - value" lines; line breaks inside a value would start a new tag, so they are folded.
  const one = (s: string): string => s.replace(/\s*[\r\n]+\s*/g, ' ');
  const lines: string[] = ['TY  - DATA', `ID  - ${f.key}`, `AU  - ${one(f.institution)}`, `TI  - ${one(f.title)}`];
  if (year(f) !== undefined) lines.push(`PY  - ${year(f) as string}`);
  if (f.dateParts !== undefined) lines.push(`DA  - ${[f.dateParts[0], f.dateParts[1], f.dateParts[2]].map((x) => (x === undefined ? '' : String(x).padStart(2, '0'))).join('/')}/`);
  lines.push(`PB  - ${one(f.institution)}`);
  if (f.softwareVersion !== undefined) lines.push(`ET  - ${one(f.softwareVersion)}`);
  if (f.doi !== undefined) lines.push(`DO  - ${f.doi}`);
  if (f.url !== undefined) lines.push(`UR  - ${one(f.url)}`);
  lines.push(`AB  - ${one(f.description)}`);
  if (f.manifestCitation !== undefined) lines.push(`N1  - Bundle citation: ${one(f.manifestCitation)}`);
  lines.push(`KW  - ${fpText(f)}`);
  lines.push('ER  - ');
  return `${lines.join('\n')}\n`;
}

/** DataCite JSON (kernel 4.5, the JSON representation validated by the shipped schema). */
export function datacite(f: CitationFacts, options: { label?: string } = {}): Record<string, unknown> {
  if (f.dateParts === undefined) {
    throw new InputError('RECORD_UNRECOGNISED', 'DataCite needs a publication year and the record has no creation date', options.label === undefined ? {} : { location: { file: options.label } });
  }
  const related: Record<string, unknown>[] = [];
  if (f.bundleTroUrl !== undefined) related.push({ relatedIdentifier: f.bundleTroUrl, relatedIdentifierType: 'URL', relationType: 'IsDerivedFrom', resourceTypeGeneral: 'Dataset' });
  if (f.datasetUrl !== undefined) related.push({ relatedIdentifier: f.datasetUrl, relatedIdentifierType: 'URL', relationType: 'IsDerivedFrom', resourceTypeGeneral: 'Dataset' });
  if (f.modelWheelUrl !== undefined) related.push({ relatedIdentifier: f.modelWheelUrl, relatedIdentifierType: 'URL', relationType: 'Requires', resourceTypeGeneral: 'Software' });
  // The bundle fingerprint is named in the description: `sha256:<hex>` is not a registered identifier type.
  return {
    ...(f.doi === undefined ? {} : { doi: f.doi }),
    ...(f.url === undefined ? {} : { url: f.url }),
    types: { resourceTypeGeneral: 'Dataset', resourceType: f.kind === 'bundle' ? 'Certified runtime bundle TRO' : f.kind === 'run' || f.kind === 'results' ? 'Simulation run record TRO' : 'Transparent Research Object' },
    creators: [{ name: f.institution, nameType: 'Organizational' }],
    titles: [{ title: f.title }],
    publisher: { name: f.institution },
    publicationYear: String(f.dateParts[0]),
    ...(f.date === undefined ? {} : { dates: [{ date: isoDay(f) ?? (year(f) as string), dateType: 'Created' }] }),
    alternateIdentifiers: [{ alternateIdentifier: fpText(f), alternateIdentifierType: 'TRO composition fingerprint' }],
    ...(related.length === 0 ? {} : { relatedIdentifiers: related }),
    ...(f.softwareVersion === undefined ? {} : { version: f.softwareVersion }),
    descriptions: [
      { description: f.description, descriptionType: 'Abstract' },
      ...(f.manifestCitation === undefined ? [] : [{ description: `Bundle citation: ${f.manifestCitation}.`, descriptionType: 'Other' }]),
    ],
    schemaVersion: 'http://datacite.org/schema/kernel-4',
  };
}

export function cslJson(f: CitationFacts): Record<string, unknown>[] {
  return [
    {
      id: f.key,
      type: 'dataset',
      title: f.title,
      author: [{ literal: f.institution }],
      publisher: f.institution,
      ...(f.dateParts === undefined ? {} : { issued: { 'date-parts': [f.dateParts.filter((x) => x !== undefined)] } }),
      ...(f.doi === undefined ? {} : { DOI: f.doi }),
      ...(f.url === undefined ? {} : { URL: f.url }),
      ...(f.softwareVersion === undefined ? {} : { version: f.softwareVersion }),
      abstract: f.description,
      note: `${fpText(f)}${f.manifestCitation === undefined ? '' : `; bundle citation: ${f.manifestCitation}`}`,
    },
  ];
}
