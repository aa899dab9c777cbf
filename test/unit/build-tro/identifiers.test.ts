// Normalisation of restricted-input identifiers: UKDS study numbers and editions, DOIs, IRS agreement ids, sha256s.
import { describe, expect, it } from 'vitest';
import {
  IdentifierError,
  normaliseDoi,
  normaliseIrsAgreementId,
  normaliseSha256,
  normaliseUkdsEdition,
  normaliseUkdsStudyNumber,
  ukdsFromDoi,
} from '../../../src/build-tro/identifiers.js';

describe('UK Data Service study numbers', () => {
  // The spellings seen in microcosm's source registries (pe-data §6) and their likely variants.
  const table: [string | number, string][] = [
    [9563, '9563'],
    ['9563', '9563'],
    [' 9563 ', '9563'],
    ['SN 9422', '9422'],
    ['SN9422', '9422'],
    ['sn 9422', '9422'],
    ['SN-9422', '9422'],
    ['UKDA-SN-9422', '9422'],
    ['09563', '9563'],
    [7215, '7215'],
  ];
  it.each(table)('%j → %s', (input, expected) => {
    expect(normaliseUkdsStudyNumber(input)).toBe(expected);
  });
  it.each([['abc'], [''], ['SN'], ['9563-1'], ['0'], [-5], [1.5], ['SN 94 22']])('%j is refused', (input) => {
    expect(() => normaliseUkdsStudyNumber(input)).toThrow(IdentifierError);
  });
});

describe('UK Data Service editions', () => {
  it('reads positive integers', () => {
    expect(normaliseUkdsEdition('1')).toBe(1);
    expect(normaliseUkdsEdition(20)).toBe(20);
    expect(normaliseUkdsEdition(' 3 ')).toBe(3);
  });
  it.each([['0'], ['1.5'], ['-1'], ['one']])('%j is refused', (input) => {
    expect(() => normaliseUkdsEdition(input)).toThrow(IdentifierError);
  });
});

describe('DOIs', () => {
  const table: [string, string][] = [
    ['10.5255/UKDA-SN-9563-1', '10.5255/UKDA-SN-9563-1'],
    ['10.5255/ukda-sn-9563-1', '10.5255/UKDA-SN-9563-1'],
    ['https://doi.org/10.5255/UKDA-SN-9422-1', '10.5255/UKDA-SN-9422-1'],
    ['http://dx.doi.org/10.5255/UKDA-SN-7215-20', '10.5255/UKDA-SN-7215-20'],
    ['doi:10.5255/UKDA-SN-9422-1', '10.5255/UKDA-SN-9422-1'],
    ['DOI: 10.1000/xyz123', '10.1000/XYZ123'],
  ];
  it.each(table)('%s → %s', (input, expected) => {
    expect(normaliseDoi(input)).toBe(expected);
  });
  it.each([['UKDA-SN-9563-1'], ['10.12/x'], [''], ['10.5255/']])('%j is refused', (input) => {
    expect(() => normaliseDoi(input)).toThrow(IdentifierError);
  });
  it('reads the study and edition a UKDS DOI names, and nothing from other DOIs', () => {
    expect(ukdsFromDoi('10.5255/UKDA-SN-9563-1')).toEqual({ study: '9563', edition: 1 });
    expect(ukdsFromDoi('10.5255/UKDA-SN-7215-20')).toEqual({ study: '7215', edition: 20 });
    expect(ukdsFromDoi('10.1000/XYZ123')).toBeUndefined();
    expect(ukdsFromDoi('10.5255/UKDA-SN-9563')).toBeUndefined();
  });
});

describe('IRS agreement ids and sha256s', () => {
  it('keeps an agreement id as written, trimmed, and refuses one that is not a single token', () => {
    expect(normaliseIrsAgreementId(' TD-2015/01 ')).toBe('TD-2015/01');
    expect(() => normaliseIrsAgreementId('two words')).toThrow(IdentifierError);
    expect(() => normaliseIrsAgreementId('')).toThrow(IdentifierError);
  });
  it('lower-cases a sha256 and drops a sha256: prefix', () => {
    const hex = 'A'.repeat(64);
    expect(normaliseSha256(`sha256:${hex}`)).toBe('a'.repeat(64));
    expect(() => normaliseSha256('abc')).toThrow(IdentifierError);
    expect(() => normaliseSha256('g'.repeat(64))).toThrow(IdentifierError);
  });
});
