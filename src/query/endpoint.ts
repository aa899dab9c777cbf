// A SPARQL 1.1 Protocol client over node's http/https (never Comunica's HTTP stack); the Graph Store writes are sync.ts's.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Parser as RdfParser } from 'n3';
import type { Quad } from 'n3';
import { PeTraceError } from '../errors.js';
import type { SparqlJsonResults, SparqlTermJson } from './results.js';

export interface EndpointOptions {
  /** Inactivity timeout per request (default 60 s). */
  readonly timeoutMs?: number;
  /** Largest accepted response body (default 256 MiB). */
  readonly maxBytes?: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

function endpointError(url: string, message: string, cause?: unknown): PeTraceError {
  return new PeTraceError('ENDPOINT_ERROR', `${redact(url)}: ${message}`, cause === undefined ? {} : { cause });
}

/** A URL without credentials or query string, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url;
  }
}

/** One HTTP exchange; rejects with ENDPOINT_ERROR on network failure, timeout or an oversized body. */
export function exchange(method: string, url: string, headers: Record<string, string>, body: string | undefined, options: EndpointOptions): Promise<HttpAnswer> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.reject(endpointError(url, 'not a valid URL'));
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return Promise.reject(endpointError(url, `unsupported scheme ${target.protocol} (http: or https: only)`));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const maxBytes = options.maxBytes ?? 256 * 2 ** 20;
  return new Promise((resolve, reject) => {
    const req = send(target, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          req.destroy();
          reject(endpointError(url, `response larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
      res.on('error', (e) => reject(endpointError(url, `response error: ${e.message}`, e)));
    });
    req.setTimeout(options.timeoutMs ?? 60_000, () => req.destroy(new Error('timed out')));
    req.on('error', (e: NodeJS.ErrnoException) => reject(endpointError(url, `request failed: ${e.code ?? e.message}`, e)));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function checkStatus(url: string, answer: HttpAnswer, what: string): void {
  if (answer.status >= 200 && answer.status < 300) return;
  const text = answer.body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 300);
  throw endpointError(url, `${what} answered HTTP ${answer.status}${text === '' ? '' : `: ${text}`}`);
}

/**
 * What a SELECT or ASK asks for: SPARQL JSON, and plain JSON after it, since RDF::Endpoint 0.11 answers SPARQL JSON
 * only to `application/json` (to the SPARQL media type alone it answers XML).
 */
const JSON_RESULTS = 'application/sparql-results+json, application/json;q=0.9';

/** POSTs a query (SPARQL 1.1 Protocol, `application/x-www-form-urlencoded`). */
async function postQuery(url: string, query: string, accept: string, options: EndpointOptions): Promise<HttpAnswer> {
  const answer = await exchange('POST', url, { 'content-type': 'application/x-www-form-urlencoded', accept }, new URLSearchParams({ query }).toString(), options);
  checkStatus(url, answer, 'the endpoint');
  return answer;
}

function parseJsonBody(url: string, answer: HttpAnswer): unknown {
  try {
    return JSON.parse(answer.body.toString('utf8'));
  } catch {
    throw endpointError(url, `the answer is not JSON (content-type ${answer.contentType || 'none'})`);
  }
}

/** SELECT over HTTP → W3C results JSON; SPARQL 1.0-style `typed-literal` terms normalised to `literal`. */
export async function endpointSelect(url: string, query: string, options: EndpointOptions = {}): Promise<SparqlJsonResults> {
  const body = parseJsonBody(url, await postQuery(url, query, JSON_RESULTS, options)) as {
    head?: { vars?: unknown };
    results?: { bindings?: unknown };
  };
  const vars = Array.isArray(body.head?.vars) ? body.head.vars.filter((v): v is string => typeof v === 'string') : undefined;
  const rows = body.results?.bindings;
  if (vars === undefined || !Array.isArray(rows)) throw endpointError(url, 'the answer is not SPARQL results JSON (no head.vars / results.bindings)');
  const bindings = rows.map((row: Record<string, unknown>) => {
    const out: Record<string, SparqlTermJson> = {};
    for (const v of vars) {
      const t = row[v] as { type?: string; value?: string; datatype?: string; 'xml:lang'?: string } | undefined;
      if (t === undefined || typeof t.value !== 'string') continue;
      if (t.type === 'uri') out[v] = { type: 'uri', value: t.value };
      else if (t.type === 'bnode') out[v] = { type: 'bnode', value: t.value };
      else if (t['xml:lang'] !== undefined) out[v] = { type: 'literal', value: t.value, 'xml:lang': t['xml:lang'] };
      else if (t.datatype !== undefined && t.datatype !== 'http://www.w3.org/2001/XMLSchema#string') out[v] = { type: 'literal', value: t.value, datatype: t.datatype };
      else out[v] = { type: 'literal', value: t.value };
    }
    return out;
  });
  return { head: { vars }, results: { bindings } };
}

export async function endpointAsk(url: string, query: string, options: EndpointOptions = {}): Promise<boolean> {
  const body = parseJsonBody(url, await postQuery(url, query, JSON_RESULTS, options)) as { boolean?: unknown };
  if (typeof body.boolean !== 'boolean') throw endpointError(url, 'the answer to an ASK query has no boolean');
  return body.boolean;
}

/** CONSTRUCT / DESCRIBE over HTTP → triples (N-Triples or Turtle answers). */
export async function endpointConstruct(url: string, query: string, options: EndpointOptions = {}): Promise<Quad[]> {
  const answer = await postQuery(url, query, 'application/n-triples, text/turtle;q=0.8', options);
  try {
    return new RdfParser({ format: answer.contentType.includes('n-triples') ? 'N-Triples' : 'Turtle' }).parse(answer.body.toString('utf8'));
  } catch (e) {
    throw endpointError(url, `the answer is not N-Triples/Turtle (content-type ${answer.contentType || 'none'})`, e);
  }
}

/** Virtuoso's Graph Store path next to its `/sparql` endpoint; other servers need an explicit URL. */
export function defaultGraphStoreUrl(endpoint: string): string | undefined {
  try {
    const u = new URL(endpoint);
    if (!u.pathname.endsWith('/sparql')) return undefined;
    u.pathname = `${u.pathname}-graph-crud`;
    u.search = '';
    return u.href;
  } catch {
    return undefined;
  }
}
