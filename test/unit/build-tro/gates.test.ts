// Gate verdicts of a build TRO (pe-data §2.3): names sorted, explicit verdict first, else the AND of per-gate verdicts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gateVerdicts } from '../../../src/build-tro/gates.js';
import { parseJson } from '../../../src/json/parse.js';
import { isJsonObject } from '../../../src/json/value.js';
import type { JsonObject } from '../../../src/json/value.js';

const DIR = 'fixtures/pe-data/microcosm/';
const gatesOf = (file: string): JsonObject => {
  const doc = parseJson(readFileSync(DIR + file));
  if (!isJsonObject(doc) || !isJsonObject(doc['gates'])) throw new Error('fixture has no gates');
  return doc['gates'];
};
const json = (text: string): JsonObject => {
  const doc = parseJson(text);
  if (!isJsonObject(doc)) throw new Error('not an object');
  return doc;
};

describe('gateVerdicts', () => {
  it('derives the shipped TRO verdicts from the shipped manifest gates', () => {
    // The shipped TRO says gatesPassed true with these four names (pe-data §2.3).
    expect(gateVerdicts(gatesOf('packages__populace-data__build__us__release_manifest.json'))).toEqual({
      names: ['calibration', 'exported_nonzero', 'parity_gaps', 'smoke'],
      passed: true,
    });
  });

  it('reads the UK build manifest gates (every gate with a passed flag, smoke evidence-only)', () => {
    const gates = gatesOf('packages__microcosm-data__tests__fixtures__uk_june_2023__populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z__build_manifest.json');
    expect(gateVerdicts(gates)).toEqual({ names: ['exported_nonzero', 'parity', 'release_surface', 'smoke', 'target_fit'], passed: true });
  });

  it('fails on non-zero gaps and on any failed gate', () => {
    expect(gateVerdicts(json('{"parity_gaps": 3, "exported_nonzero": {"passed": true}}')).passed).toBe(false);
    expect(gateVerdicts(json('{"parity_gaps": 0, "exported_nonzero": {"passed": false}}')).passed).toBe(false);
    expect(gateVerdicts(json('{"a": true, "b": false}')).passed).toBe(false);
  });

  it('lets an explicit top-level passed win, and takes names from an inner gates mapping', () => {
    expect(gateVerdicts(json('{"passed": false, "parity_gaps": 0}'))).toEqual({ names: ['parity_gaps'], passed: false });
    expect(gateVerdicts(json('{"passed": true, "gates": {"z": {"passed": false}, "a": {}}}'))).toEqual({ names: ['a', 'z'], passed: true });
    expect(gateVerdicts(json('{"gates": {"z": {"passed": false}, "a": {"passed": true}}}'))).toEqual({ names: ['a', 'z'], passed: false });
  });

  it('makes no claim for evidence-only gates (and a float gap count is not a verdict)', () => {
    expect(gateVerdicts(json('{"smoke": {"people_m": 332.3}, "calibration": {"loss": 0.02}}'))).toEqual({ names: ['calibration', 'smoke'] });
    expect(gateVerdicts(json('{"parity_gaps": 0.0}'))).toEqual({ names: ['parity_gaps'] });
  });
});
