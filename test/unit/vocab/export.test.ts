// The vocabulary package: deterministic files, Turtle / JSON-LD / HTML that say the same as the sources, part files merged, writes confined to the output folder.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsonld from 'jsonld';
import { DataFactory, type Quad } from 'n3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  TERM_TYPES,
  buildVocabExport,
  isomorphic,
  loadVocabularies,
  parseTurtle,
  renderVocabularyHtml,
  sha256Hex,
  writeVocabExport,
} from '../../../src/index.js';
import type { ExportFile } from '../../../src/index.js';
import { REPO_ROOT } from '../../support/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'pe-trace-vocab-export-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const decoder = new TextDecoder();
const text = (f: ExportFile | undefined): string => decoder.decode(f?.bytes ?? new Uint8Array());

describe('buildVocabExport', async () => {
  const files = await buildVocabExport();
  const byPath = new Map(files.map((f) => [f.path, f]));
  const vocabularies = loadVocabularies();

  it('holds every vocabulary in three serialisations, the contexts and the shapes, in path order', () => {
    for (const v of vocabularies) for (const ext of ['ttl', 'jsonld', 'html']) expect(byPath.has(`${v.id}.${ext}`)).toBe(true);
    for (const id of ['pe', 'pop', 'term-map']) expect(vocabularies.map((v) => v.id)).toContain(id);
    expect(byPath.has('contexts/pe-0.1.context.jsonld')).toBe(true);
    expect(byPath.has('contexts/trov-0.1.context.jsonld')).toBe(true);
    const shapes = readdirSync(join(REPO_ROOT, 'shapes')).filter((n) => n.endsWith('.shape.ttl'));
    for (const s of shapes) expect(text(byPath.get(`shapes/${s}`))).toBe(readFileSync(join(REPO_ROOT, 'shapes', s), 'utf8'));
    expect(files.map((f) => f.path)).toEqual([...files.map((f) => f.path)].sort());
    for (const f of files) expect(f.sha256).toBe(sha256Hex(f.bytes));
  });

  it('is deterministic: a second build gives the same bytes', async () => {
    const again = await buildVocabExport();
    expect(again.map((f) => [f.path, f.sha256])).toEqual(files.map((f) => [f.path, f.sha256]));
  });

  it('keeps only the chosen serialisation with --format (contexts always; shapes only with Turtle)', async () => {
    const html = await buildVocabExport({ formats: ['html'] });
    expect(html.every((f) => f.path.endsWith('.html') || f.path.startsWith('contexts/'))).toBe(true);
    expect(html.some((f) => f.path === 'pe.html')).toBe(true);
    expect(html.find((f) => f.path === 'pe.html')?.sha256).toBe(byPath.get('pe.html')?.sha256);
  });

  it.each(['pe', 'pop', 'term-map'])('%s.ttl says exactly what its vocab/ source files say', async (id) => {
    const vocab = vocabularies.find((v) => v.id === id);
    const exported = parseTurtle(text(byPath.get(`${id}.ttl`)), `${id}.ttl`).quads;
    expect(exported).toHaveLength(vocab?.quads.length ?? -1);
    expect(await isomorphic(exported, vocab?.quads ?? [])).toBe(true);
  });

  it('merges vocab/pop-inputs.ttl into the pop vocabulary when it is present', () => {
    const pop = vocabularies.find((v) => v.id === 'pop');
    const parts = readdirSync(join(REPO_ROOT, 'vocab')).filter((n) => /^pop-.+\.ttl$/.test(n));
    expect(pop?.files).toEqual(['pop.ttl', ...parts.sort()]);
    const exported = text(byPath.get('pop.ttl'));
    for (const part of parts) {
      const subjects = new Set(parseTurtle(readFileSync(join(REPO_ROOT, 'vocab', part), 'utf8'), part).quads.map((q) => q.subject.value));
      for (const s of subjects) expect(exported).toContain(s.replace('https://populace.dev/trace/0.1#', 'pop:'));
    }
    expect(exported.match(/a owl:Ontology/g)).toHaveLength(1);
  });

  it.each(['pe', 'pop', 'term-map'])('%s.jsonld expands (JSON-LD toRDF) to the same graph as the Turtle', async (id) => {
    const doc = JSON.parse(text(byPath.get(`${id}.jsonld`))) as object;
    const raw = (await (jsonld as unknown as { toRDF(d: object): Promise<{ subject: { termType: string; value: string }; predicate: { value: string }; object: { termType: string; value: string; language?: string; datatype?: { value: string } } }[]> }).toRDF(doc)) ;
    const { namedNode, blankNode, literal, quad } = DataFactory;
    const term = (t: { termType: string; value: string; language?: string; datatype?: { value: string } }) =>
      t.termType === 'BlankNode' ? blankNode(t.value.replace(/^_:/, '')) : t.termType === 'Literal' ? literal(t.value, t.language !== undefined && t.language !== '' ? t.language : namedNode(t.datatype?.value ?? '')) : namedNode(t.value);
    const quads: Quad[] = raw.map((q) => quad(term(q.subject) as never, namedNode(q.predicate.value), term(q.object) as never));
    const turtle = parseTurtle(text(byPath.get(`${id}.ttl`)), `${id}.ttl`).quads;
    expect(quads).toHaveLength(turtle.length);
    expect(await isomorphic(quads, turtle)).toBe(true);
  });

  it.each(['pe', 'pop'])('%s.html is one static page with a row and an anchor for every term, and the header metadata', (id) => {
    const html = text(byPath.get(`${id}.html`));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link |src=/);
    const vocab = vocabularies.find((v) => v.id === id);
    const ns = id === 'pe' ? 'https://policyengine.org/trace/0.1#' : 'https://populace.dev/trace/0.1#';
    const terms = new Set((vocab?.quads ?? []).filter((q) => q.predicate.value.endsWith('#type') && TERM_TYPES.includes(q.object.value) && q.subject.value.startsWith(ns)).map((q) => q.subject.value.slice(ns.length)));
    expect(terms.size).toBeGreaterThan(10);
    for (const local of terms) expect(html).toContain(`<td id="${local}"><a href="#${local}">`);
    expect(html).toContain('https://creativecommons.org/licenses/by/4.0/');
    expect(html).toContain(`(preferred prefix <code>${id}:</code>)`);
    expect(html).toMatch(/<th>Domain<\/th><th>Range<\/th><th>Status<\/th>/);
  });

  it('renders domains, ranges, statuses and escapes markup', () => {
    const pe = text(byPath.get('pe.html'));
    // pe:dataBuildId: schema:domainIncludes (several kinds of subject) shown as alternatives.
    expect(pe).toMatch(/<td id="dataBuildId">.*<a href="#Certification"><code>pe:Certification<\/code><\/a> or <a href="https:\/\/w3id.org\/trace\/trov\/0.1#TrustedResearchPerformance"><code>trov:TrustedResearchPerformance<\/code><\/a>.*xsd:string.*<td>stable<\/td>/);
    const vocab = { id: 'x', files: ['x.ttl'], prefixes: {}, quads: parseTurtle('@prefix x: <https://x.example/ns#> . @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . <https://x.example/ns#> a owl:Ontology . x:p a owl:DatatypeProperty ; rdfs:label "a <b> & c" ; rdfs:comment "\\"quoted\\"" .', 'x').quads };
    const html = renderVocabularyHtml(vocab);
    expect(html).toContain('a &lt;b&gt; &amp; c');
    expect(html).toContain('&quot;quoted&quot;');
    expect(html).toContain('<td id="p">');
  });
});

describe('writeVocabExport', () => {
  it('writes every file inside the folder with the listed bytes', async () => {
    const files = await buildVocabExport({ formats: ['turtle'] });
    const out = join(tmp, 'pkg');
    await writeVocabExport(files, out);
    for (const f of files) expect(sha256Hex(readFileSync(join(out, ...f.path.split('/'))))).toBe(f.sha256);
    expect(readdirSync(out).some((n) => n.endsWith('.tmp'))).toBe(false);
  });

  it('refuses a path that is not plain and relative before writing anything', async () => {
    const out = join(tmp, 'bad');
    const bytes = new TextEncoder().encode('x');
    await expect(writeVocabExport([{ path: '../escape.ttl', bytes, sha256: sha256Hex(bytes) }], out)).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(writeVocabExport([{ path: '/abs.ttl', bytes, sha256: sha256Hex(bytes) }], out)).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(existsSync(join(tmp, 'escape.ttl'))).toBe(false);
  });

  it('refuses to follow a symlinked sub-folder out of the output folder', async () => {
    const out = join(tmp, 'linked');
    const outside = join(tmp, 'outside');
    mkdirSync(out, { recursive: true });
    mkdirSync(outside, { recursive: true });
    symlinkSync(outside, join(out, 'shapes'));
    const bytes = new TextEncoder().encode('x');
    await expect(writeVocabExport([{ path: 'shapes/a.shape.ttl', bytes, sha256: sha256Hex(bytes) }], out)).rejects.toMatchObject({ code: 'USAGE' });
    expect(readdirSync(outside)).toEqual([]);
  });
});
