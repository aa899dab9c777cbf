// sync's error text from a server's answer: an HTML page reduced to its text, a plain SPARQL error keeping the IRIs it names.
import { describe, expect, it } from 'vitest';
import { bodyText } from '../../../src/query/sync.js';

const answer = (contentType: string, body: string): { status: number; contentType: string; body: Buffer } => ({ status: 400, contentType, body: Buffer.from(body) });

describe('bodyText', () => {
  it('keeps the <IRI> a plain-text SPARQL error names', () => {
    expect(bodyText(answer('text/plain', 'Virtuoso 37000 Error SP031: blank node in graph <https://pe-trace.invalid/doc/ab/>\n'))).toBe(': Virtuoso 37000 Error SP031: blank node in graph <https://pe-trace.invalid/doc/ab/>');
  });

  it('reduces an HTML page to its text, by content type or by its first tag', () => {
    expect(bodyText(answer('text/html; charset=utf-8', '<html><body><h1>Error</h1>\n<p>bad   request</p></body></html>'))).toBe(': Error bad request');
    expect(bodyText(answer('application/octet-stream', '  <!DOCTYPE html><title>500</title>oops'))).toBe(': 500 oops');
  });

  it('is one line of at most 200 characters, and empty for an empty body', () => {
    const long = bodyText(answer('text/plain', `a\r\nb\n${'x'.repeat(500)}`));
    expect(long).not.toMatch(/[\r\n]/);
    expect(long.length).toBe(202);
    expect(bodyText(answer('text/plain', ' \n '))).toBe('');
  });
});
