// The report writers: W3C validation reports in Turtle and JSON-LD (the same RDF), readable text, pe-trace's JSON.
import { createRequire } from 'node:module';
import jsonld from 'jsonld';
import { Parser } from 'n3';
import type { Quad } from 'n3';
import { describe, expect, it } from 'vitest';
import { toNQuads } from '../../../src/rdf/index.js';
import { formatShaclText, reportJsonLd, reportQuads, reportTurtle, shaclDocumentJson } from '../../../src/shacl/index.js';
import { PE_BUNDLE, SPEC_EXAMPLE, TRO_UTILS, fixtureBytes, validate } from './support.js';

const canonize = createRequire(import.meta.url)('rdf-canonize') as { canonize(input: string, options: Readonly<Record<string, string>>): Promise<string> };
const canonical = (nquads: string): Promise<string> => canonize.canonize(nquads, { algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', format: 'application/n-quads' });

async function reports() {
  const spec = await validate(fixtureBytes(SPEC_EXAMPLE));
  const pe = await validate(fixtureBytes(PE_BUNDLE), 'trov-0.1');
  const ok = await validate(fixtureBytes(TRO_UTILS));
  return [spec, pe, ok].map((r) => ({ ...r, file: r.file, graph: r.graph }));
}

describe('W3C report writers', () => {
  it('Turtle and JSON-LD carry the same RDF as reportQuads', async () => {
    const named = await reports();
    const expected = await canonical(toNQuads(reportQuads(named)));
    const fromTurtle = new Parser({ format: 'text/turtle' }).parse(reportTurtle(named));
    expect(await canonical(toNQuads(fromTurtle))).toBe(expected);
    const fromJsonLd = (await jsonld.toRDF(reportJsonLd(named) as jsonld.JsonLdDocument, { format: 'application/n-quads' })) as unknown as string;
    expect(await canonical(fromJsonLd)).toBe(expected);
  });

  it('each report is a sh:ValidationReport with sh:conforms and one sh:ValidationResult per result, each with the required terms', async () => {
    const named = await reports();
    const quads = reportQuads(named);
    const SH = 'http://www.w3.org/ns/shacl#';
    const objects = (s: string, p: string) => quads.filter((q) => q.subject.value === s && q.predicate.value === `${SH}${p}`).map((q) => q.object);
    const reportNodes = quads.filter((q) => q.object.value === `${SH}ValidationReport`).map((q) => q.subject.value);
    expect(reportNodes).toEqual(['report0', 'report1', 'report2']);
    expect(reportNodes.map((r) => objects(r, 'conforms')[0]?.value)).toEqual(['false', 'false', 'true']);
    named.forEach((report, i) => {
      const results = objects(`report${i}`, 'result');
      expect(results).toHaveLength(report.results.length);
      for (const r of results) {
        for (const p of ['focusNode', 'resultSeverity', 'sourceConstraintComponent', 'sourceShape', 'resultMessage']) expect([p, objects(r.value, p).length]).toEqual([p, 1]);
      }
    });
    // A sequence path is written as an RDF list.
    const fp = named[0]?.results.findIndex((r) => r.display.component === 'ptc:FingerprintConstraintComponent');
    const path = objects(`report0_result${fp}`, 'resultPath')[0];
    expect(path?.termType).toBe('BlankNode');
    expect(quads.filter((q) => q.subject.equals(path as Quad['subject'])).map((q) => q.predicate.value)).toEqual([
      'http://www.w3.org/1999/02/22-rdf-syntax-ns#first',
      'http://www.w3.org/1999/02/22-rdf-syntax-ns#rest',
    ]);
  });

  it('the same documents always give the same bytes', async () => {
    const a = await reports();
    const b = await reports();
    expect(reportTurtle(b)).toBe(reportTurtle(a));
    expect(JSON.stringify(reportJsonLd(b))).toBe(JSON.stringify(reportJsonLd(a)));
    expect(reportTurtle(a)).not.toMatch(/\/work\/|\/tmp\//);
  });
});

describe('text and JSON', () => {
  it('groups results by document and focus node, named by the document\'s own @ids and pointers', async () => {
    const named = await reports();
    const text = formatShaclText(named);
    expect(text[0]).toBe('not conforming: doc.jsonld (trov-0.1; profile auto: trov-0.1 + pe-extension), 9 results');
    expect(text).toContain('  fingerprint (/@graph/0/trov:hasComposition/trov:hasFingerprint)');
    expect(text).toContain('  trov:hash of composition/1/artifact/0');
    expect(text).toContain('    - trov:hashValue: trov:hashValue must be lowercase hexadecimal (value "aaa1...") [sh:PatternConstraintComponent]');
    expect(text).toContain('  composition/1/artifact/dataset (/@graph/0/trov:hasComposition/trov:hasArtifact/2)');
    expect(text).toContain('    - trov:sha256: uses trov:sha256; TROv 0.1 requires trov:hash {trov:hashAlgorithm, trov:hashValue} [sh:MaxCountConstraintComponent]');
    expect(text[text.length - 1]).toBe('ok: doc.jsonld (trov-0.1; profile auto: trov-0.1 + pe-extension)');
    // One header line per focus node, however many results it has.
    const headers = text.filter((l) => /^ {2}\S/.test(l));
    expect(new Set(headers).size).toBe(headers.length);
  });

  it('JSON names each term both ways: as the document writes it and as the full lifted IRI', async () => {
    const [spec] = await reports();
    const json = shaclDocumentJson(spec as NonNullable<typeof spec>);
    expect(json).toMatchObject({ file: 'doc.jsonld', dialect: 'trov-0.1', profile: 'auto', conforms: false, engine: 'pe-trace' });
    const fp = json.results.find((r) => r.component === 'ptc:FingerprintConstraintComponent');
    expect(fp).toMatchObject({ focusNode: 'fingerprint', path: 'trov:hash/trov:hashValue', value: '"a1b2c3d4..."', severity: 'Violation', sourceShape: 'ptc:FingerprintCheck' });
    expect(fp?.focusNodeIri).toBe(`${json.graph}fingerprint`);
  });
});
