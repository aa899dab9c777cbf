// Streams an https artifact into hashers: node:https GET, https-only redirects, inactivity timeout, size cap, no credentials.
// node:https, node:tls and node:zlib are imported on first fetch: `verify` of local files never needs them, and
// loading them costs ~9 ms of every verify's start-up (measured).
import type { IncomingMessage } from 'node:http';
import { ByteLimitError, type HashAlgorithm, type MultiDigest, hashStreamMany } from '../hash/digest.js';

/** A failed fetch; the message is the report's detail text. */
export class FetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchError';
  }
}

export interface HttpsFetchOptions {
  /** Abort when the connection is silent this long (connecting, waiting for headers, or between body chunks). */
  readonly timeoutMs: number;
  /** Abort when the whole fetch (redirects, headers, body) takes longer than this, however steadily bytes arrive. */
  readonly deadlineMs?: number;
  /** Abort when the (decoded) body exceeds this many bytes. */
  readonly maxBytes: number;
  /** An extra trusted CA (PEM), added to Node's bundled roots. */
  readonly ca?: string | Buffer;
  readonly maxRedirects?: number;
  /** When given, every body chunk is also appended here (to keep a small document such as a TRO). */
  readonly collect?: Uint8Array[];
  onProgress?(bytes: number, totalBytes: number | null): void;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'pe-trace (artifact verification)';

/** GETs `url` and hashes the body with every algorithm in one pass. Any failure is a FetchError with a one-line message. */
export async function fetchHttpsDigests(url: string, algorithms: readonly HashAlgorithm[], options: HttpsFetchOptions): Promise<MultiDigest> {
  const deadline = new Deadline(options.deadlineMs);
  try {
    return await fetchFollowing(url, algorithms, options, deadline);
  } catch (e) {
    if (deadline.expired) throw new FetchError(deadline.message());
    // node:https can also throw synchronously (e.g. an option it rejects); every failure is a detail line.
    throw e instanceof FetchError ? e : new FetchError(errorText(e));
  } finally {
    deadline.clear();
  }
}

/** The total time limit of one fetch: when it passes, the request in flight is destroyed (its body stream errors). */
class Deadline {
  expired = false;
  private current: { destroy(error: Error): void } | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  constructor(private readonly ms: number | undefined) {
    if (ms !== undefined) {
      this.timer = setTimeout(() => {
        this.expired = true;
        this.current?.destroy(new FetchError(this.message()));
      }, ms);
    }
  }
  /** The request now in flight (each redirect makes a new one). */
  track(request: { destroy(error: Error): void }): void {
    this.current = request;
    if (this.expired) request.destroy(new FetchError(this.message()));
  }
  message(): string {
    return `deadline of ${this.ms ?? 0} ms passed before the artifact was fully read`;
  }
  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}

async function fetchFollowing(url: string, algorithms: readonly HashAlgorithm[], options: HttpsFetchOptions, deadline: Deadline): Promise<MultiDigest> {
  const maxRedirects = options.maxRedirects ?? 5;
  let current = parseHttpsUrl(url);
  for (let redirects = 0; ; redirects += 1) {
    const { response, abort, timedOut } = await get(current, options, deadline);
    const status = response.statusCode ?? 0;
    if (REDIRECTS.has(status)) {
      const target = response.headers.location;
      abort();
      if (target === undefined) throw new FetchError(`HTTP ${status} without a Location header`);
      if (redirects >= maxRedirects) throw new FetchError(`too many redirects (more than ${maxRedirects})`);
      let next: URL;
      try {
        next = new URL(target, current);
      } catch {
        throw new FetchError(`invalid redirect location: ${target}`);
      }
      if (next.protocol !== 'https:') throw new FetchError(`redirect to a non-https location refused: ${next.href}`);
      current = parseHttpsUrl(next.href);
      continue;
    }
    if (status < 200 || status > 299) {
      abort();
      throw new FetchError(`HTTP ${status}`);
    }
    return await hashBody(response, algorithms, options, abort, timedOut);
  }
}

function parseHttpsUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FetchError(`invalid URL: ${text}`);
  }
  if (url.protocol !== 'https:') throw new FetchError(`not an https URL: ${text}`);
  // Node would turn user:password@ into an Authorization header; we never send credentials.
  if (url.username !== '' || url.password !== '') throw new FetchError('credentials in artifact URL refused');
  return url;
}

interface OpenResponse {
  readonly response: IncomingMessage;
  abort(): void;
  timedOut(): boolean;
}

async function get(url: URL, options: HttpsFetchOptions, deadline: Deadline): Promise<OpenResponse> {
  const [{ request }, { rootCertificates }] = await Promise.all([import('node:https'), import('node:tls')]);
  return new Promise((resolvePromise, reject) => {
    let timedOut = false;
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const req = request({
      method: 'GET',
      protocol: 'https:',
      hostname,
      port: url.port === '' ? 443 : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers: { 'user-agent': USER_AGENT, accept: '*/*', 'accept-encoding': 'identity' },
      agent: false,
      ...(options.ca === undefined ? {} : { ca: [...rootCertificates, options.ca.toString()] }),
    });
    deadline.track(req);
    req.setTimeout(options.timeoutMs, () => {
      timedOut = true;
      req.destroy(new FetchError(`timed out after ${options.timeoutMs} ms without data`));
    });
    req.on('error', (e) => {
      reject(timedOut ? new FetchError(`timed out after ${options.timeoutMs} ms without data`) : new FetchError(errorText(e)));
    });
    req.on('response', (response) => {
      resolvePromise({
        response,
        abort: () => {
          response.resume();
          req.destroy();
        },
        timedOut: () => timedOut,
      });
    });
    req.end();
  });
}

async function hashBody(
  response: IncomingMessage,
  algorithms: readonly HashAlgorithm[],
  options: HttpsFetchOptions,
  abort: () => void,
  timedOut: () => boolean,
): Promise<MultiDigest> {
  const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const declared = Number(response.headers['content-length']);
  const length = encoding === 'identity' && Number.isSafeInteger(declared) && declared >= 0 ? declared : null;
  if (length !== null && length > options.maxBytes) {
    abort();
    throw new FetchError(`response exceeds ${options.maxBytes} bytes`);
  }
  let body: AsyncIterable<Uint8Array>;
  // `requests` (the reference client) decodes Content-Encoding, so the artifact is the decoded representation.
  const zlib = encoding === 'identity' ? undefined : await import('node:zlib');
  if (zlib === undefined) body = response;
  else if (encoding === 'gzip' || encoding === 'x-gzip') body = response.pipe(zlib.createGunzip());
  else if (encoding === 'deflate') body = response.pipe(zlib.createInflate());
  else if (encoding === 'br') body = response.pipe(zlib.createBrotliDecompress());
  else {
    abort();
    throw new FetchError(`unsupported content-encoding: ${encoding}`);
  }
  try {
    const source = options.collect === undefined ? body : collecting(body, options.collect);
    return await hashStreamMany(source, algorithms, {
      maxBytes: options.maxBytes,
      onProgress: (bytes) => options.onProgress?.(bytes, length),
    });
  } catch (e) {
    abort();
    if (e instanceof ByteLimitError) throw new FetchError(`response exceeds ${options.maxBytes} bytes`);
    if (timedOut()) throw new FetchError(`timed out after ${options.timeoutMs} ms without data`);
    throw new FetchError(errorText(e));
  }
}

async function* collecting(body: AsyncIterable<Uint8Array>, into: Uint8Array[]): AsyncIterable<Uint8Array> {
  for await (const chunk of body) {
    into.push(new Uint8Array(chunk));
    yield chunk;
  }
}

/** GETs a small document (a TRO) whole, with the same rules; `maxBytes` caps it. Failures are FetchErrors. */
export async function fetchHttpsBytes(url: string, options: HttpsFetchOptions): Promise<{ bytes: Uint8Array; sha256: string }> {
  const chunks: Uint8Array[] = [];
  const digest = await fetchHttpsDigests(url, ['sha256'], { ...options, collect: chunks });
  return { bytes: Buffer.concat(chunks), sha256: digest.hex.sha256 ?? '' };
}

/** One line; Node's happy-eyeballs connect failures are AggregateErrors with an empty message. */
function errorText(e: unknown): string {
  if (e instanceof AggregateError && e.message === '') return e.errors.map(errorText).join('; ');
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const text = e instanceof Error && e.message !== '' ? e.message : code !== '' ? code : String(e);
  return text.replace(/\s*\n\s*/g, ' ');
}
