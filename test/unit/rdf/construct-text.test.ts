// Differential: the view CONSTRUCT over plain records and text (shieldTriples + constructTriples) = the n3 Store path (shieldLiterals + constructQuads).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from 'n3';
import { describe, expect, it } from 'vitest';
import { readAssetText } from '../../../src/assets.js';
import { parseJson } from '../../../src/json/parse.js';
import { isJsonObject } from '../../../src/json/value.js';
import { liftJsonLdTerms, toN3Quad } from '../../../src/rdf/lift.js';
import { DEFAULT_GRAPH, type TextQuad, blankTerm, literalTerm, namedTerm, quadsText, textQuadOf } from '../../../src/rdf/nquads-text.js';
import { constructQuads, constructTriples, shieldLiterals, shieldTriples } from '../../../src/rdf/sparql.js';
import { FIXTURES } from '../../support/cli.js';
import { HISTORY_VERSIONS, historyTro } from '../../support/history.js';

const VIEW = readAssetText('queries', 'construct-trov-view.rq');

/** The same triples in an n3 Store, as the view step built it before (graphs dropped). */
function storeOf(triples: readonly TextQuad[]): Store {
  const store = new Store();
  for (const q of triples) store.addQuad(toN3Quad({ ...q, graph: DEFAULT_GRAPH }));
  return store;
}

/** Blank nodes the engine minted (labels not in the input) renamed by first-seen order, so two runs compare. */
function normaliseMinted(quads: readonly TextQuad[], input: readonly TextQuad[]): string {
  const known = new Set<string>();
  for (const q of input) for (const t of [q.subject, q.object]) if (t.termType === 'BlankNode') known.add(t.value);
  const names = new Map<string, string>();
  const fix = (t: TextQuad['subject']): TextQuad['subject'] => {
    if (t.termType !== 'BlankNode' || known.has(t.value)) return t;
    let n = names.get(t.value);
    if (n === undefined) names.set(t.value, (n = `minted${names.size}`));
    return blankTerm(n);
  };
  return quadsText(quads.map((q) => ({ ...q, subject: fix(q.subject), object: fix(q.object) })));
}

/** Asserts both paths agree; returns how many view triples there were. */
async function expectSameView(triples: readonly TextQuad[], label: string): Promise<number> {
  const store = storeOf(triples);
  const input = shieldTriples(triples);
  const reference = shieldLiterals(store);
  expect(input.nquads, `${label}: oxigraph input`).toBe(reference.nquads);
  expect([...input.shielded.keys()], label).toEqual([...reference.shielded.keys()]);
  const mine = await constructTriples(input, VIEW, label);
  const theirs = (await constructQuads(store, VIEW, label)).map(textQuadOf);
  expect(normaliseMinted(mine, triples), label).toBe(normaliseMinted(theirs, triples));
  return mine.length;
}

async function lifted(file: string): Promise<readonly TextQuad[]> {
  const bytes = new Uint8Array(readFileSync(file));
  return (await liftJsonLdTerms(parseJson(bytes, { label: file }), { label: file, bytes })).quads;
}

describe('view CONSTRUCT on text = on an n3 Store', () => {
  it('on the 219 historical TROs, in batches of many documents (shared terms, duplicates across documents)', async () => {
    const all: TextQuad[][] = [];
    for (const v of HISTORY_VERSIONS) all.push([...(await lifted(historyTro(v)))]);
    for (let i = 0; i < all.length; i += 64) expect(await expectSameView(all.slice(i, i + 64).flat(), `history batch ${i}`)).toBeGreaterThan(1000);
  });

  it('on every TRO fixture one at a time (every dialect, own @base, hostile files)', async () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          if (!p.includes(join('policyengine-py', 'history'))) walk(p);
        } else if (e.name.endsWith('.jsonld')) files.push(p);
      }
    };
    walk(FIXTURES);
    let checked = 0;
    for (const file of files.sort()) {
      let triples: readonly TextQuad[];
      try {
        const json = parseJson(new Uint8Array(readFileSync(file)), { label: file });
        if (!isJsonObject(json)) continue;
        triples = await lifted(file);
      } catch {
        continue; // not liftable: no view is built for it either
      }
      if (!triples.some((q) => q.predicate.value.startsWith('https://w3id.org/trace/'))) continue;
      if ((await expectSameView(triples, file)) > 0) checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('on hostile literals: quotes, backslashes, newlines, U+2028, lone surrogates, typed and tagged values, duplicates', async () => {
    const T = 'https://w3id.org/trace/trov/0.1#';
    const P = 'https://populace.dev/trace/0.1#';
    const PE = 'https://policyengine.org/trace/0.1#';
    const d = 'https://pe-trace.invalid/doc/h/';
    const tro = namedTerm(`${d}tro`);
    const q = (s: TextQuad['subject'], p: string, o: TextQuad['object']): TextQuad => ({ subject: s, predicate: namedTerm(p), object: o, graph: namedTerm(d) });
    const triples: TextQuad[] = [
      q(tro, 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type', namedTerm(`${T}TransparentResearchObject`)),
      q(tro, `${T}hasComposition`, namedTerm(`${d}comp`)),
      q(tro, `${T}hasPerformance`, blankTerm('abc_b0')),
      q(tro, `${T}hasArrangement`, namedTerm(`${d}arr`)),
      q(tro, `${T}vocabularyVersion`, literalTerm('0.1\n"x"\\', 'http://www.w3.org/2001/XMLSchema#string')),
      q(namedTerm(`${d}arr`), `${T}hasArtifactLocation`, namedTerm(`${d}loc`)),
      q(namedTerm(`${d}loc`), `${T}hasLocation`, literalTerm('dir/with "quotes"\u2028and\tcontrols\u0001')),
      q(namedTerm(`${d}loc`), `${T}hasArtifact`, namedTerm(`${d}art`)),
      q(namedTerm(`${d}loc`), `${P}accessRestricted`, literalTerm('true', 'http://www.w3.org/2001/XMLSchema#boolean')),
      q(namedTerm(`${d}comp`), `${T}hasArtifact`, namedTerm(`${d}art`)),
      q(namedTerm(`${d}art`), `${T}sha256`, literalTerm('lone \uD800 high and \uDC00 low')),
      q(namedTerm(`${d}art`), `${T}mimeType`, literalTerm('text/plain', undefined, 'EN')),
      q(namedTerm(`${d}art`), `${T}mimeType`, literalTerm('text/plain', undefined, 'en')),
      q(namedTerm(`${d}comp`), `${T}hasFingerprint`, blankTerm('abc_b1')),
      q(blankTerm('abc_b1'), `${T}sha256`, literalTerm('ff')),
      q(blankTerm('abc_b0'), `${PE}startedAt`, literalTerm('2026-01-01T00:00:00Z', 'http://www.w3.org/2001/XMLSchema#dateTime')),
      q(blankTerm('abc_b0'), `${PE}count`, literalTerm('007', 'http://www.w3.org/2001/XMLSchema#integer')),
      q(blankTerm('abc_b0'), `${PE}other`, literalTerm('007', 'http://www.w3.org/2001/XMLSchema#integer')),
      q(blankTerm('abc_b0'), `${PE}odd`, literalTerm('x', 'https://dt.org/"@en')),
      q(blankTerm('abc_b0'), `https://microcosm.institute/trace/0.1#weight`, literalTerm('1.50', 'http://www.w3.org/2001/XMLSchema#decimal')),
    ];
    expect(await expectSameView([...triples, ...triples.slice(0, 5)], 'hostile')).toBeGreaterThan(15);
  });
});
