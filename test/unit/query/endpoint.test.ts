// The SPARQL 1.1 Protocol client and Graph Store loader against a small real HTTP server on loopback.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataFactory } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultGraphStoreUrl, endpointAsk, endpointConstruct, endpointSelect } from '../../../src/index.js';

interface Seen {
  method: string;
  url: string;
  contentType: string;
  accept: string;
  body: string;
}
const seen: Seen[] = [];
let server: Server;
let base: string;

/** Answers like a SPARQL server would (Virtuoso's SPARQL 1.0-style `typed-literal` included). */
function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
  seen.push({ method: req.method ?? '', url: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), accept: String(req.headers.accept ?? ''), body });
  const query = new URLSearchParams(body).get('query') ?? '';
  if (req.url?.startsWith('/store')) {
    res.writeHead(201).end();
  } else if (query.startsWith('ASK')) {
    res.writeHead(200, { 'content-type': 'application/sparql-results+json' }).end('{"head":{},"boolean":true}');
  } else if (query.startsWith('CONSTRUCT')) {
    res.writeHead(200, { 'content-type': 'application/n-triples' }).end('<urn:a> <urn:b> "c" .\n');
  } else if (query.startsWith('FAIL')) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('Virtuoso 37000 Error SP030: syntax error');
  } else {
    res.writeHead(200, { 'content-type': 'application/sparql-results+json' }).end(
      JSON.stringify({
        head: { link: [], vars: ['s', 'n', 'l'] },
        results: { distinct: false, ordered: true, bindings: [{ s: { type: 'uri', value: 'urn:x' }, n: { type: 'typed-literal', datatype: 'http://www.w3.org/2001/XMLSchema#integer', value: '3' }, l: { type: 'literal', value: 'v', 'xml:lang': 'en' } }] },
      }),
    );
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('SPARQL protocol client', () => {
  it('POSTs a form-encoded query and normalises the results JSON', async () => {
    const r = await endpointSelect(`${base}/sparql`, 'SELECT * WHERE { ?s ?p ?o }');
    expect(r).toEqual({
      head: { vars: ['s', 'n', 'l'] },
      results: { bindings: [{ s: { type: 'uri', value: 'urn:x' }, n: { type: 'literal', value: '3', datatype: 'http://www.w3.org/2001/XMLSchema#integer' }, l: { type: 'literal', value: 'v', 'xml:lang': 'en' } }] },
    });
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({ method: 'POST', url: '/sparql', contentType: 'application/x-www-form-urlencoded', accept: 'application/sparql-results+json, application/json;q=0.9', body: 'query=SELECT+*+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D' });
  });

  it('answers ASK and CONSTRUCT', async () => {
    expect(await endpointAsk(`${base}/sparql`, 'ASK {}')).toBe(true);
    const quads = await endpointConstruct(`${base}/sparql`, 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }');
    expect(quads.map((q) => [q.subject.value, q.predicate.value, q.object.value])).toEqual([['urn:a', 'urn:b', 'c']]);
  });

  it('turns an HTTP error into ENDPOINT_ERROR naming the endpoint (no query string), and a dead port too', async () => {
    await expect(endpointSelect(`${base}/sparql?key=secret`, 'FAIL')).rejects.toThrow(`${base}/sparql: the endpoint answered HTTP 400: Virtuoso 37000 Error SP030: syntax error`);
    await expect(endpointSelect('http://127.0.0.1:1/sparql', 'SELECT * {}')).rejects.toThrow(/^http:\/\/127\.0\.0\.1:1\/sparql: request failed: ECONNREFUSED/);
    await expect(endpointSelect('ftp://x/sparql', 'SELECT * {}')).rejects.toThrow(/unsupported scheme ftp:/);
  });

  it('derives Virtuoso\'s graph store URL only for an endpoint ending in /sparql', () => {
    expect(defaultGraphStoreUrl('http://127.0.0.1:8890/sparql')).toBe('http://127.0.0.1:8890/sparql-graph-crud');
    expect(defaultGraphStoreUrl('http://127.0.0.1:3030/ds/query')).toBeUndefined();
  });
});
