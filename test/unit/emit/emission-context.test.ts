// The emission context (interop §2.4) from an explicit mapping, and the checks that stop it overwriting the TRO (§11.11).
import { describe, expect, it } from 'vitest';
import { checkEmissionContext, emissionContextFromEnvironment, emittedIn } from '../../../src/emit/index.js';

describe('emissionContextFromEnvironment', () => {
  it('gives local unless GITHUB_ACTIONS is exactly "true"', () => {
    expect(emissionContextFromEnvironment({})).toEqual({ 'pe:emittedIn': 'local' });
    expect(emissionContextFromEnvironment({ GITHUB_ACTIONS: 'True', GITHUB_SHA: 'abc' })).toEqual({ 'pe:emittedIn': 'local' });
  });

  it('maps the GitHub Actions variables to the run URL, sha and ref', () => {
    expect(
      emissionContextFromEnvironment({
        GITHUB_ACTIONS: 'true',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'PolicyEngine/policyengine.py',
        GITHUB_RUN_ID: '12345',
        GITHUB_SHA: 'abc123',
        GITHUB_REF: 'refs/heads/main',
      }),
    ).toEqual({
      'pe:emittedIn': 'github-actions',
      'pe:ciRunUrl': 'https://github.com/PolicyEngine/policyengine.py/actions/runs/12345',
      'pe:ciGitSha': 'abc123',
      'pe:ciGitRef': 'refs/heads/main',
    });
  });

  it('leaves out the run URL unless server, repository and run id are all set (empty counts as unset)', () => {
    expect(emissionContextFromEnvironment({ GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '' })).toEqual({
      'pe:emittedIn': 'github-actions',
    });
  });
});

describe('checkEmissionContext', () => {
  it('accepts pe: keys with string values including pe:emittedIn', () => {
    expect(() => checkEmissionContext(emittedIn('policyengine-api'))).not.toThrow();
    expect(() => checkEmissionContext({ 'pe:emittedIn': 'x', 'pe:ciGitSha': 'abc' })).not.toThrow();
  });

  it('refuses an empty context (no silent fallback to the environment), other prefixes, and non-strings', () => {
    expect(() => checkEmissionContext({})).toThrow(/must set pe:emittedIn/);
    expect(() => checkEmissionContext({ 'pe:emittedIn': 'local', '@id': 'x' })).toThrow(/"@id" is not a pe: term/);
    expect(() => checkEmissionContext({ 'pe:emittedIn': 'local', 'trov:wasConductedBy': 'x' })).toThrow(/not a pe: term/);
    expect(() => checkEmissionContext({ 'pe:emittedIn': 7 as unknown as string })).toThrow(/non-empty string/);
  });
});
