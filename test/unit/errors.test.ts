// The exit-code table is total and every error renders one located line.
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, EXIT, InputError, PeTraceError } from '../../src/errors.js';

describe('errors', () => {
  it('maps every code to a documented exit code', () => {
    const documented = new Set<number>(Object.values(EXIT));
    for (const [code, exit] of Object.entries(ERROR_CODES)) {
      expect(documented.has(exit), code).toBe(true);
    }
  });
  it('prefixes the message with file:line:column and keeps it on one line', () => {
    const e = new InputError('JSON_SYNTAX', 'unexpected end of input', { location: { file: 'a.json', line: 3, column: 7 } });
    expect(e.message).toBe('a.json:3:7: unexpected end of input');
    expect(e.exitCode).toBe(3);
    expect(e).toBeInstanceOf(PeTraceError);
  });
  it('renders a JSON pointer location', () => {
    const e = new PeTraceError('TRO_MALFORMED', 'missing trov:sha256', { location: { file: 't.jsonld', pointer: '/@graph/0' } });
    expect(e.message).toBe('t.jsonld#/@graph/0: missing trov:sha256');
  });
});
