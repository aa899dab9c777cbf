// `cite` formats: CFF, DataCite and CSL-JSON validated against their published schemas; BibTeX and RIS read back by Citation.js.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-ris';
import { Ajv } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CITATION_FORMATS, type CitationFacts, citationFacts, renderCitation } from '../../src/cite/index.js';
import { loadRecord } from '../../src/summary/index.js';
import { FIXTURES } from '../support/cli.js';

const PY = join(FIXTURES, 'policyengine-py');
const schema = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(FIXTURES, 'schemas', name), 'utf8')) as Record<string, unknown>;

// Formats the schemas use (ajv-formats is not a dependency): strict enough to catch a wrong shape.
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FORMATS: Record<string, (s: string) => boolean> = {
  date: (s) => DATE.test(s) && !Number.isNaN(Date.parse(s)),
  uri: (s) => {
    try {
      return new URL(s).protocol.length > 1;
    } catch {
      return false;
    }
  },
  year: (s) => /^\d{4}$/.test(s),
  yearmonth: (s) => /^\d{4}-\d{2}$/.test(s),
  datetime: (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.test(s),
  'year-range': (s) => /^\d{4}\/\d{4}$/.test(s),
  'yearmonth-range': (s) => /^\d{4}-\d{2}\/\d{4}-\d{2}$/.test(s),
  'date-range': (s) => /^\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2}$/.test(s),
  'datetime-range': (s) => s.includes('/'),
};

function validator(kind: 'cff' | 'datacite' | 'csl'): (data: unknown) => string[] {
  // DataCite's JSON Schema is 2019-09 and carries a legacy `id` keyword, so its Ajv is not strict about keywords.
  const ajv = kind === 'datacite' ? new Ajv2019({ strict: false, allErrors: true }) : new Ajv({ allErrors: true, strict: false });
  for (const [name, fn] of Object.entries(FORMATS)) ajv.addFormat(name, fn);
  const raw = schema(kind === 'cff' ? 'cff-1.2.0.schema.json' : kind === 'datacite' ? 'datacite-v4.5.schema.json' : 'csl-data.schema.json');
  // The DataCite schema names itself with the pre-draft-06 `id` keyword, which ajv refuses ("use $id"): dropped
  // here, in memory only (it is a name, not a constraint). Every constraint is compiled as published.
  if (kind === 'datacite') delete raw['id'];
  const validate = ajv.compile(raw);
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}

async function facts(path: string, options: { doi?: string; url?: string } = {}): Promise<CitationFacts> {
  return citationFacts((await loadRecord(path)).summary, options);
}

const RECORDS = [
  join(PY, 'shipped', 'us.trace.tro.jsonld'),
  join(PY, 'generated', 'run-record'),
  join(PY, 'history-selected', 'f6f0a28-uk.trace.tro.jsonld'),
  join(PY, 'generated', 'run-record-with-url'),
];

describe('citation facts', () => {
  it('a run record is cited through its bundle, keyed by its own fingerprint', async () => {
    const f = await facts(join(PY, 'generated', 'run-record'));
    expect(f.key).toBe('pe-8b68588a1b527c00');
    expect(f.fingerprint).toBe('8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997');
    expect(f.institution).toBe('PolicyEngine');
    expect(f).toMatchObject({ modelPackage: 'policyengine-us', modelVersion: '1.764.6', dataPackage: 'populace-data', dataset: 'populace_us_2024', bundleId: 'us-5.0.3', date: '2026-06-12T00:00:00Z' });
    expect(f.title).toBe('PolicyEngine simulation run-1 on bundle us-5.0.3 (policyengine-us 1.764.6, populace_us_2024)');
  });

  it('the shipped bundle is cited with its manifest citation text; a mirrored preservation DOI is used', async () => {
    expect((await facts(join(PY, 'shipped', 'us.trace.tro.jsonld'))).manifestCitation).toBe('PolicyEngine bundle 5.0.3, PolicyEngine, software-bundle 5.0.3');
    expect((await facts(join(PY, 'history-selected', 'f6f0a28-uk.trace.tro.jsonld'))).doi).toBe('10.5281/zenodo.20678518');
  });

  it('--doi is normalised (doi.org URL accepted) and a malformed DOI or URL is a usage error', async () => {
    expect((await facts(RECORDS[0] as string, { doi: 'https://doi.org/10.5281/zenodo.1' })).doi).toBe('10.5281/ZENODO.1');
    await expect(facts(RECORDS[0] as string, { doi: 'zenodo.1' })).rejects.toMatchObject({ code: 'USAGE', exitCode: 2 });
    await expect(facts(RECORDS[0] as string, { url: 'javascript:alert(1)' })).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('DataCite relates a run to its bundle TRO URL, dataset and model wheel (https addresses only)', async () => {
    const dc = JSON.parse(renderCitation(await facts(join(PY, 'generated', 'run-record-with-url')), 'datacite')) as { relatedIdentifiers: { relatedIdentifier: string; relationType: string }[] };
    expect(dc.relatedIdentifiers.map((r) => [r.relationType, r.relatedIdentifier.slice(0, 30)])).toEqual([
      ['IsDerivedFrom', 'https://example.org/bundle.tra'],
      ['IsDerivedFrom', 'https://huggingface.co/dataset'],
      ['Requires', 'https://files.pythonhosted.org'],
    ]);
  });

  it('a bundle manifest has no fingerprint: not citable (exit 3)', async () => {
    await expect(facts(join(PY, 'shipped', 'manifest.json'))).rejects.toMatchObject({ code: 'RECORD_UNRECOGNISED', exitCode: 3 });
  });

  it('every format is deterministic', async () => {
    for (const format of CITATION_FORMATS) {
      const a = renderCitation(await facts(RECORDS[1] as string), format);
      const b = renderCitation(await facts(RECORDS[1] as string), format);
      expect(a).toBe(b);
    }
  });
});

describe('citation formats against their schemas and standard readers', () => {
  const cff = validator('cff');
  const dc = validator('datacite');
  const csl = validator('csl');
  for (const path of RECORDS) {
    const name = path.split('/').slice(-2).join('/');
    for (const options of [{}, { doi: '10.5281/zenodo.20678518', url: 'https://example.org/records/run-1' }]) {
      const tag = 'doi' in options ? ' with --doi/--url' : '';
      it(`${name}${tag}: CFF 1.2.0, DataCite 4.5 and CSL-JSON validate`, async () => {
        const f = await facts(path, options);
        expect(cff(parseYaml(renderCitation(f, 'cff')))).toEqual([]);
        expect(dc(JSON.parse(renderCitation(f, 'datacite')))).toEqual([]);
        expect(csl(JSON.parse(renderCitation(f, 'csl-json')))).toEqual([]);
      });

      it(`${name}${tag}: BibTeX and RIS parse with Citation.js and keep the facts`, async () => {
        const f = await facts(path, options);
        for (const format of ['bibtex', 'ris'] as const) {
          const items = new Cite(renderCitation(f, format), { forceType: format === 'bibtex' ? '@biblatex/text' : '@ris/file' }).data;
          expect(items, format).toHaveLength(1);
          const item = items[0];
          expect(item?.title, format).toBe(f.title);
          expect(JSON.stringify(item?.author), format).toContain(f.institution);
          expect(item?.issued?.['date-parts']?.[0]?.[0], format).toBe(f.dateParts?.[0]);
          if (f.doi !== undefined) expect(item?.DOI?.toLowerCase(), format).toBe(f.doi.toLowerCase());
          expect(`${item?.note ?? ''} ${item?.abstract ?? ''} ${JSON.stringify(item?.keyword ?? '')}`, format).toContain(f.fingerprint);
        }
      });
    }
  }

  it('the validators can fail: a broken CFF, DataCite and CSL document are rejected', async () => {
    const f = await facts(RECORDS[1] as string);
    const c = parseYaml(renderCitation(f, 'cff')) as Record<string, unknown>;
    delete c['authors'];
    expect(cff(c).length).toBeGreaterThan(0);
    expect(cff({ ...(parseYaml(renderCitation(f, 'cff')) as Record<string, unknown>), 'date-released': '2026-13-45' }).length).toBeGreaterThan(0);
    expect(dc({ ...(JSON.parse(renderCitation(f, 'datacite')) as Record<string, unknown>), publicationYear: '26' }).length).toBeGreaterThan(0);
    expect(csl([{ id: 'x', type: 'not-a-csl-type' }]).length).toBeGreaterThan(0);
  });

  it('hostile text is escaped: a title with BibTeX specials and a line break still parses to one entry', async () => {
    const f = { ...(await facts(RECORDS[1] as string)), title: 'A {broken} title_with % and # and\n}@misc{evil,', institution: 'Evil } Corp\nTY  - JOUR' };
    const bib = new Cite(renderCitation(f, 'bibtex'), { forceType: '@biblatex/text' }).data;
    expect(bib).toHaveLength(1);
    expect(bib[0]?.title).toBe('A {broken} title_with % and # and\n}@misc{evil,'.replace('\n', ' ').replace(/\s+/g, ' '));
    const ris = new Cite(renderCitation(f, 'ris'), { forceType: '@ris/file' }).data;
    expect(ris).toHaveLength(1);
    expect(ris[0]?.type).toBe('dataset');
  });
});
