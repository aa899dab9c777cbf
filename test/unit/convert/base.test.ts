// The @base of a converted TRO: where it comes from, and our own reading of what LINKABLE-TRO asks of a base.
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_BASE_PREFIX, baseProblems, checkBaseOption, chooseBase } from '../../../src/index.js';

describe('baseProblems', () => {
  it('accepts an https base with a real lowercase host, a portable path and a trailing slash', () => {
    expect(baseProblems('https://policyengine.org/trace/tro/us-5.0.3/')).toEqual([]);
    expect(baseProblems('http://data.example-lab.ac.uk/tro/1/')).toEqual([]);
  });

  it.each([
    ['https://policyengine.org/', 'it has no path after the host'],
    ['https://policyengine.org/tro', 'it does not end with /'],
    ['https://PolicyEngine.org/tro/', 'its host is not lowercase'],
    ['https://example.org/tro/', 'its host example.org is a reserved name no publisher can own'],
    ['https://pe-trace.invalid/tro/x/', 'its host pe-trace.invalid is a reserved name no publisher can own'],
    ['https://ci.local/tro/', 'its host ci.local is a reserved name no publisher can own'],
    ['https://localhost/tro/', 'its host localhost is not a registrable domain name'],
    ['https://127.0.0.1/tro/', 'its host 127.0.0.1 is not a registrable domain name'],
    ['https://policyengine.org/tro/?v=1/', 'it has a query'],
    ['https://policyengine.org/tro/#x/', 'it has a fragment'],
    ['https://user@policyengine.org/tro/', 'it has userinfo'],
    ['https://policyengine.org/a b/', 'a path segment is not portable ([A-Za-z0-9._-], alphanumeric at both ends)'],
    ['https://policyengine.org/03-skope-/', 'a path segment is not portable ([A-Za-z0-9._-], alphanumeric at both ends)'],
    ['ftp://policyengine.org/tro/', 'its scheme is ftp, not http or https'],
  ])('%s: %s', (base, problem) => {
    expect(baseProblems(base)).toContain(problem);
  });
});

describe('chooseBase', () => {
  const sha = 'a'.repeat(64);
  it('prefers --base, then the document\'s own @base, then the folder of its self URL, then the placeholder', () => {
    const all = { option: 'https://policyengine.org/x/', documentBase: 'https://github.com/org/repo/', selfUrl: 'https://huggingface.co/d/r/tro.jsonld', originalSha256: sha };
    expect(chooseBase(all)).toMatchObject({ base: 'https://policyengine.org/x/', source: 'option' });
    const { option: _o, ...noOption } = all;
    expect(chooseBase(noOption)).toMatchObject({ base: 'https://github.com/org/repo/', source: 'document' });
    const { documentBase: _d, ...selfOnly } = noOption;
    expect(chooseBase(selfOnly)).toMatchObject({ base: 'https://huggingface.co/d/r/', source: 'self-url', problems: [] });
    expect(chooseBase({ originalSha256: sha })).toMatchObject({ base: `${PLACEHOLDER_BASE_PREFIX}${sha}/`, source: 'placeholder' });
    expect(chooseBase({ originalSha256: sha }).problems).toEqual([`its host pe-trace.invalid is a reserved name no publisher can own`]);
  });

  it('ignores a self URL that is not https or has no folder, and an explicit @base null', () => {
    expect(chooseBase({ selfUrl: 'http://x.org/a/t.jsonld', originalSha256: sha }).source).toBe('placeholder');
    expect(chooseBase({ selfUrl: 'https://x.org/t.jsonld', originalSha256: sha }).source).toBe('placeholder');
    expect(chooseBase({ documentBase: null, originalSha256: sha }).source).toBe('placeholder');
  });
});

describe('checkBaseOption', () => {
  it('refuses what cannot serve as a base at all, as a usage error', () => {
    expect(() => checkBaseOption('relative/path/')).toThrow(/--base must be an absolute http\(s\) URL/);
    expect(() => checkBaseOption('urn:x:y/')).toThrow(/--base must be an http\(s\) URL/);
    expect(() => checkBaseOption('https://policyengine.org/tro')).toThrow(/must end with \//);
    expect(() => checkBaseOption('https://policyengine.org/tro/?a=1/')).toThrow(/query or fragment/);
    expect(() => checkBaseOption('https://example.org/tro/')).not.toThrow();
  });
});
