// Profiles: which shapes graphs apply, the kind guess, the extension graph's independence, and the shapes' own hygiene.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser, Store } from 'n3';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/json/index.js';
import { liftJsonLd } from '../../../src/rdf/index.js';
import {
  type ShapesGraphName,
  DataIndex,
  SHAPES_FILES,
  fingerprintRules,
  formatPath,
  guessTroKind,
  loadShapesGraphs,
  shapesGraphsFor,
  validateShapes,
} from '../../../src/shacl/index.js';
import { FIXTURES, REPO_ROOT } from '../../support/cli.js';
import { DEMO_2023, POP_BUILD, PE_BUNDLE, PE_RUN, SPEC_EXAMPLE, TRO_UTILS, fixtureBytes } from './support.js';

const SH = 'http://www.w3.org/ns/shacl#';
const TROV = 'https://w3id.org/trace/trov/0.1#';

async function liftedIndex(rel: string): Promise<{ quads: Store; index: DataIndex }> {
  const bytes = fixtureBytes(rel);
  const lifted = await liftJsonLd(parseJson(bytes), { bytes });
  return { quads: new Store([...lifted.quads]), index: new DataIndex(lifted.quads) };
}

describe('profiles', () => {
  it('maps each profile and dialect to its shapes graphs', () => {
    expect(shapesGraphsFor('trov-0.1', 'pe-0.1', 'bundle')).toEqual(['trov-0.1']);
    expect(shapesGraphsFor('pe-0.1', 'trov-0.1', undefined)).toEqual(['pe-0.1', 'pe-extension']);
    expect(shapesGraphsFor('trov-2023-05', 'trov-2023-05', undefined)).toEqual(['trov-2023-05']);
    expect(shapesGraphsFor('run', 'pe-0.1', undefined)).toEqual(['pe-0.1', 'pe-extension', 'profile-run']);
    expect(shapesGraphsFor('build', 'pe-0.1-hash', undefined)).toEqual(['trov-0.1', 'pe-extension', 'profile-build']);
    expect(shapesGraphsFor('auto', 'pe-0.1', 'bundle')).toEqual(['pe-0.1', 'pe-extension', 'profile-bundle']);
    expect(shapesGraphsFor('auto', 'trov-0.1', undefined)).toEqual(['trov-0.1', 'pe-extension']);
    expect(shapesGraphsFor('auto', 'trov-2023-05', undefined)).toEqual(['trov-2023-05']);
  });

  it('picks the fingerprint rules by profile, then dialect', () => {
    expect(fingerprintRules('trov-0.1', 'pe-0.1')).toEqual(['sha256-concat']);
    expect(fingerprintRules('pe-0.1', 'trov-0.1')).toEqual(['sha256-newline']);
    expect(fingerprintRules('auto', 'pe-0.1')).toEqual(['sha256-newline']);
    expect(fingerprintRules('bundle', 'trov-0.1')).toEqual(['sha256-concat']);
    expect(fingerprintRules('auto', 'pe-0.1-hash')).toEqual(['sha256-newline', 'sha256-concat']);
    expect(fingerprintRules('auto', 'trov-2023-05')).toEqual(['sha256-concat']);
  });

  it.each([
    [PE_BUNDLE, 'bundle'],
    [PE_RUN, 'run'],
    ['policyengine-py/generated/web-run.simulation.trace.tro.jsonld', 'run'],
    [POP_BUILD, 'build'],
    [TRO_UTILS, undefined],
    [SPEC_EXAMPLE, undefined],
  ])('guesses the kind of %s: %s', async (rel, kind) => {
    expect(guessTroKind((await liftedIndex(rel)).index)).toBe(kind);
  });

  it('every shipped combination compiles for pe-trace\'s core engine (no fallback)', async () => {
    const combos: ShapesGraphName[][] = [];
    for (const profile of ['auto', 'trov-0.1', 'pe-0.1', 'trov-2023-05', 'bundle', 'run', 'build'] as const) {
      for (const dialect of ['pe-0.1', 'pe-0.1-hash', 'trov-0.1', 'trov-2023-05'] as const) {
        for (const kind of [undefined, 'bundle', 'run', 'build'] as const) combos.push(shapesGraphsFor(profile, dialect, kind));
      }
    }
    for (const names of combos) expect([names.join('+'), (await loadShapesGraphs(names)).engine]).toEqual([names.join('+'), 'pe-trace']);
  });
});

describe('the extension graph keeps TROv validation identical', () => {
  it.each([TRO_UTILS, SPEC_EXAMPLE, PE_BUNDLE, PE_RUN, POP_BUILD])('%s: trov-0.1 results are the same with and without pe-extension', async (rel) => {
    const { quads } = await liftedIndex(rel);
    const alone = validateShapes(quads, await loadShapesGraphs(['trov-0.1']));
    const withExtension = validateShapes(quads, await loadShapesGraphs(['trov-0.1', 'pe-extension']));
    const fromTrov = withExtension.results.filter((r) => !r.sourceShape?.value.startsWith('pe_extension') && !r.sourceShape?.value.startsWith('https://w3id.org/pe-trace/shapes/pe-extension#'));
    expect(fromTrov).toEqual(alone.results);
  });

  it('its shapes never constrain or target a trov: path (open TROv shapes, extension terms in their own graph)', async () => {
    const ix = (await loadShapesGraphs(['pe-extension'])).index;
    for (const q of ix.quads) {
      if (q.predicate.value === `${SH}path` && q.object.termType === 'NamedNode') expect(q.object.value.startsWith(TROV)).toBe(false);
      if (q.predicate.value === `${SH}targetSubjectsOf`) expect(q.object.value.startsWith(TROV)).toBe(false);
    }
  });
});

describe('shapes hygiene', () => {
  it.each(Object.keys(SHAPES_FILES) as ShapesGraphName[])('%s: every reportable constraint carries an sh:message; no shape is closed', async (name) => {
    const shapes = await loadShapesGraphs([name]);
    const ix = shapes.index;
    for (const { shape } of shapes.core?.reportableConstraints() ?? []) {
      const where = `${shape.value} ${ix.object(shape, `${SH}path`) === undefined ? '' : formatPath(ix.path(ix.object(shape, `${SH}path`) as never), (i) => i)}`;
      expect([where, ix.objects(shape, `${SH}message`).length > 0]).toEqual([where, true]);
    }
    expect(ix.quads.filter((q) => q.predicate.value === `${SH}closed`)).toEqual([]);
  });

  it('the TROv 0.1 shapes name only TROv terms: trov.ttl, the terms the specification adds, and the spellings they replace', () => {
    const vocabulary = new Parser().parse(readFileSync(join(FIXTURES, 'trace', 'trov', '0.1__trov.ttl'), 'utf8'));
    const defined = new Set(vocabulary.map((q) => q.subject.value).filter((s) => s.startsWith(TROV)));
    // Vocabulary Reference and tro-checks terms that trov.ttl HEAD lacks (trace-trov.md §1.2, §1.3).
    for (const t of ['ArrangementBinding', 'arrangement', 'boundTo', 'signingMechanism', 'GPGSigning', 'X509CMSSigning', 'TRSCapabilityType', 'TRPAttributeType', 'hash', 'hashAlgorithm', 'hashValue', 'customTerm']) defined.add(`${TROV}${t}`);
    for (const t of ['CanIsolateEnvironment', 'CanPreventAuthorIntervention', 'CanExcludeInputs', 'CanExcludeOutputs', 'CanEnsureInputDataIncludedInTROPackage', 'CanRequireInputDataExistsBeforeRun', 'CanRequireInputDataLocalBeforeRun', 'CanEnsureInputDataPersistsAfterRun', 'CanEnsureOutputDataIncludedInTROPackage', 'CanEnsureCodeIncludedInTROPackage', 'CanRecordSoftwareEnvironment', 'CanDetectInternetAccess', 'CanEnforceInternetIsolation', 'CanPreventUserInteractionDuringRun', 'CanEnforceCapabilitiesTechnically']) defined.add(`${TROV}${t}`);
    // The pe-0.1 and pre-release spellings the dialect-difference shapes name (trace-trov.md §1.3, policyengine-interop.md §2).
    const replaced = ['sha256', 'hasLocation', 'TransparentResearchSystem', 'TransparentResearchPerformance', 'ArtifactLocus', 'hasLocus', 'hadPerformanceAttribute', 'modifiedArrangement', 'name', 'owner', 'description', 'contact', 'url'];
    const text = readFileSync(join(REPO_ROOT, 'shapes', SHAPES_FILES['trov-0.1']), 'utf8');
    const used = new Set([...text.matchAll(/\btrov:([A-Za-z0-9]+)/g)].map((m) => m[1] as string));
    const unknown = [...used].filter((t) => !defined.has(`${TROV}${t}`) && !replaced.includes(t));
    expect(unknown).toEqual([]);
    // …and the pre-release spellings really are not 0.1 terms (otherwise flagging them would be wrong).
    expect(replaced.filter((t) => defined.has(`${TROV}${t}`))).toEqual([]);
  });

  it('the pre-release shapes describe the 2023/05 namespace only', async () => {
    const report = validateShapes((await liftedIndex(TRO_UTILS)).quads, await loadShapesGraphs(['trov-2023-05']));
    expect(report.results).toEqual([]);
    const pre = validateShapes((await liftedIndex(DEMO_2023)).quads, await loadShapesGraphs(['trov-0.1']));
    expect(pre.results).toEqual([]);
  });
});
