// The HTTP seam of the manifest area: an injected client interface, and a node:https implementation for the CLI.
import { request as httpRequest } from 'node:http';
import type { IncomingMessage, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpResponse {
  readonly status: number;
  readonly body: Uint8Array;
  /** The URL that answered, after redirects. */
  readonly url?: string;
}

/**
 * What the library needs from HTTP. Implementations follow redirects; a transport failure (DNS, refused,
 * timeout, a refused scheme) rejects with an Error whose message says what happened.
 */
export interface HttpClient {
  get(url: string, headers?: Readonly<Record<string, string>>): Promise<HttpResponse>;
  head(url: string, headers?: Readonly<Record<string, string>>): Promise<number>;
}

export interface NodeHttpClientOptions {
  /** Per request, including the body; default 30 s (policyengine.py's timeout). */
  readonly timeoutMs?: number;
  /** Largest body accepted; default 64 MiB. */
  readonly maxBodyBytes?: number;
  readonly maxRedirects?: number;
  /** Allow plain http to loopback hosts (127.0.0.0/8, ::1, localhost): for tests' fake hubs only. */
  readonly allowLoopbackHttp?: boolean;
}

/** 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Whether a URL may be fetched: https anywhere; http only to loopback and only when allowed. */
export function checkFetchable(url: string, allowLoopbackHttp: boolean): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`not a valid URL: ${url}`);
  }
  if (u.protocol === 'https:') return u;
  if (u.protocol === 'http:' && allowLoopbackHttp && isLoopbackHost(u.hostname)) return u;
  throw new Error(`refusing to fetch ${u.protocol}//${u.host}: only https (or http to a loopback test server) is allowed`);
}

/** An HttpClient over node:http(s): redirects followed, Authorization dropped when a redirect changes host. */
export function createNodeHttpClient(options: NodeHttpClientOptions = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBody = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 10;
  const allowHttp = options.allowLoopbackHttp === true;

  async function send(method: 'GET' | 'HEAD', url: string, headers: Readonly<Record<string, string>>): Promise<HttpResponse> {
    let current = checkFetchable(url, allowHttp);
    let currentHeaders = { ...headers };
    for (let hop = 0; ; hop++) {
      const res = await onceRetryingStaleSocket(method, current, currentHeaders, timeoutMs, maxBody);
      const location = res.location;
      if (res.status >= 300 && res.status < 400 && location !== undefined) {
        if (hop >= maxRedirects) throw new Error(`too many redirects fetching ${url}`);
        const next = checkFetchable(new URL(location, current).toString(), allowHttp);
        // Credentials go only to the host they were meant for.
        if (next.host !== current.host) currentHeaders = withoutAuthorization(currentHeaders);
        current = next;
        continue;
      }
      return { status: res.status, body: res.body, url: current.toString() };
    }
  }

  return {
    get: (url, headers = {}) => send('GET', url, headers),
    head: async (url, headers = {}) => (await send('HEAD', url, headers)).status,
  };
}

/** One request with a method and an optional body, no redirects followed (the deposit API never redirects a write). */
export interface HttpRequest {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
}

export interface HttpExchange extends HttpResponse {
  /** Response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
}

/** What a write-capable client (the Zenodo deposit API) needs; transport failures reject with an Error. */
export interface HttpRequester {
  request(req: HttpRequest): Promise<HttpExchange>;
}

/** An HttpRequester over node:http(s) with the same scheme rule as createNodeHttpClient (https, or http to loopback when allowed). */
export function createNodeRequester(options: NodeHttpClientOptions = {}): HttpRequester {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBody = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const allowHttp = options.allowLoopbackHttp === true;
  return {
    async request(req) {
      const url = checkFetchable(req.url, allowHttp);
      // POST is not idempotent: a deposit is never created twice by a blind resend.
      const res =
        req.method === 'POST'
          ? await once(req.method, url, req.headers ?? {}, timeoutMs, maxBody, req.body)
          : await onceRetryingStaleSocket(req.method, url, req.headers ?? {}, timeoutMs, maxBody, req.body);
      return { status: res.status, body: res.body, url: url.toString(), headers: res.headers };
    },
  };
}

function withoutAuthorization(h: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (k.toLowerCase() !== 'authorization') out[k] = v;
  return out;
}

interface RawResponse {
  readonly status: number;
  readonly body: Uint8Array;
  readonly location?: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Response headers, lower-case names, repeated ones joined with `, `. */
function flatHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** A request that failed on a kept-alive socket before any response: the server had closed it (see onceRetryingStaleSocket). */
class StaleSocketError extends Error {}

/**
 * One request, sent again once on a fresh connection when it went out on a kept-alive socket the server had already
 * closed. Node 20's global agent keeps sockets alive; a server drops an idle one after its keep-alive timeout (5 s for
 * node:http), and when that FIN has not been processed yet (our event loop was busy, e.g. validating a manifest between
 * two requests) the next request is written to the dead socket and fails with ECONNRESET: a failure that depends only
 * on timing. Only idempotent methods (GET, HEAD, PUT, DELETE) come here, so one resend is safe (Node's documented
 * remedy, `request.reusedSocket`).
 */
async function onceRetryingStaleSocket(method: string, url: URL, headers: Readonly<Record<string, string>>, timeoutMs: number, maxBody: number, body?: Uint8Array): Promise<RawResponse> {
  try {
    return await once(method, url, headers, timeoutMs, maxBody, body);
  } catch (e) {
    if (!(e instanceof StaleSocketError)) throw e;
    return once(method, url, headers, timeoutMs, maxBody, body, { freshSocket: true });
  }
}

function once(method: string, url: URL, headers: Readonly<Record<string, string>>, timeoutMs: number, maxBody: number, body?: Uint8Array, options: { freshSocket?: boolean } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // Settle once: after a refusal (size, timeout) the socket's later events are ignored.
    let settled = false;
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      reject(e);
    };
    const requestOptions: RequestOptions = { method, headers: { 'user-agent': 'pe-trace', ...headers }, timeout: timeoutMs, ...(options.freshSocket === true ? { agent: false } : {}) };
    let responded = false;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, requestOptions, (res: IncomingMessage) => {
      responded = true;
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBody) {
          fail(new Error(`response from ${url.host} exceeds ${maxBody} bytes`));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        const loc = res.headers.location;
        const base = { status: res.statusCode ?? 0, body: new Uint8Array(Buffer.concat(chunks)), headers: flatHeaders(res) };
        resolve(typeof loc === 'string' ? { ...base, location: loc } : base);
      });
      res.on('error', (e: Error) => fail(e));
    });
    req.on('timeout', () => {
      fail(new Error(`timed out after ${timeoutMs} ms fetching ${url.host}`));
      req.destroy();
    });
    req.on('error', (e: Error) => {
      const code = (e as { code?: unknown }).code;
      const stale = req.reusedSocket && !responded && (code === 'ECONNRESET' || code === 'EPIPE');
      fail(stale ? new StaleSocketError(networkErrorText(e, url)) : new Error(networkErrorText(e, url)));
    });
    req.end(body === undefined ? undefined : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });
}

function networkErrorText(e: Error, url: URL): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? `${code} connecting to ${url.host}` : e.message;
}
