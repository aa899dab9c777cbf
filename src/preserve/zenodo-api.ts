// The Zenodo legacy deposit API as pe-trace calls it: bearer token, JSON bodies typed as JSON, retries with backoff on 429/5xx.
import { PeTraceError } from '../errors.js';
import type { JsonObject } from '../json/index.js';
import { JsonNumber, isJsonObject, parseJson } from '../json/index.js';
import type { HttpExchange, HttpRequester } from '../manifest/index.js';

export const ZENODO_API = 'https://zenodo.org/api';
export const ZENODO_SANDBOX_API = 'https://sandbox.zenodo.org/api';

/** How failed requests are retried. `sleep` is injected so tests never wait on a clock. */
export interface RetryPolicy {
  /** Total tries per request, the first included (default 4). */
  readonly attempts?: number;
  /** First pause; each later pause doubles (default 1000 ms). */
  readonly baseDelayMs?: number;
  /** Longest pause, whatever Retry-After asks (default 60 000 ms). */
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A Zenodo failure: the step, the HTTP status when there was one, and the reference's message text. */
export class ZenodoError extends PeTraceError {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super('ZENODO_FAILED', message);
    this.name = 'ZenodoError';
    this.status = status;
  }
}

export interface ZenodoCall {
  /** Named as in policyengine.py's messages: `deposition creation`, `upload of NAME`, `metadata update`, `publish`, … */
  readonly step: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  /** A JSON body, sent with `Content-Type: application/json` (Zenodo answers 415 otherwise). */
  readonly json?: Readonly<Record<string, unknown>>;
  /** Raw bytes (bucket uploads), sent as application/octet-stream. */
  readonly bytes?: Uint8Array;
  /** Statuses that count as success. */
  readonly expect: readonly number[];
}

export interface ZenodoAnswer {
  readonly status: number;
  /** The body when it is a JSON object, else undefined. */
  readonly body: JsonObject | undefined;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One authenticated session against a deposit API base (e.g. https://zenodo.org/api, or a loopback test server). */
export class ZenodoApi {
  readonly base: string;
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly http: HttpRequester,
    base: string,
    private readonly token: string,
    retry: RetryPolicy = {},
  ) {
    this.base = base.replace(/\/+$/, '');
    this.attempts = Math.max(1, retry.attempts ?? 4);
    this.baseDelayMs = retry.baseDelayMs ?? 1000;
    this.maxDelayMs = retry.maxDelayMs ?? 60_000;
    this.sleep = retry.sleep ?? defaultSleep;
  }

  /**
   * Sends `call`, retrying: on 429 always (the request was not processed); on 5xx and transport failures
   * only for GET, PUT and DELETE (a repeated POST could create a second deposition). The last failure
   * becomes `Zenodo {step} failed with HTTP {n}: {first 500 characters of the body}`.
   */
  async send(call: ZenodoCall): Promise<ZenodoAnswer> {
    const idempotent = call.method !== 'POST';
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    let body: Uint8Array | undefined;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = new TextEncoder().encode(JSON.stringify(call.json));
    } else if (call.bytes !== undefined) {
      headers['content-type'] = 'application/octet-stream';
      body = call.bytes;
    }
    for (let attempt = 1; ; attempt++) {
      let res: HttpExchange;
      try {
        res = await this.http.request({ method: call.method, url: call.url, headers, ...(body === undefined ? {} : { body }) });
      } catch (e) {
        if (idempotent && attempt < this.attempts) {
          await this.sleep(this.delay(attempt, undefined));
          continue;
        }
        throw new ZenodoError(`Zenodo ${call.step} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (call.expect.includes(res.status)) return { status: res.status, body: jsonObject(res.body) };
      const retryable = res.status === 429 || (idempotent && res.status >= 500);
      if (retryable && attempt < this.attempts) {
        await this.sleep(this.delay(attempt, res.headers['retry-after']));
        continue;
      }
      const text = new TextDecoder().decode(res.body).slice(0, 500);
      throw new ZenodoError(`Zenodo ${call.step} failed with HTTP ${res.status}: ${text}`, res.status);
    }
  }

  /** Exponential backoff, or the server's Retry-After seconds when larger; capped. */
  private delay(attempt: number, retryAfter: string | undefined): number {
    const backoff = this.baseDelayMs * 2 ** (attempt - 1);
    const asked = retryAfter !== undefined && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) * 1000 : 0;
    return Math.min(this.maxDelayMs, Math.max(backoff, asked));
  }
}

function jsonObject(bytes: Uint8Array): JsonObject | undefined {
  try {
    const v = parseJson(bytes);
    return isJsonObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A string member of a JSON object (numbers rendered as text, as ids are). */
export function textMember(o: JsonObject | undefined, key: string): string | undefined {
  const v = o?.[key];
  if (typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.int !== undefined ? v.int.toString() : String(v.float);
  return undefined;
}

/** `o.links[key]` as a string. */
export function linkMember(o: JsonObject | undefined, key: string): string | undefined {
  const links = o?.['links'];
  return isJsonObject(links) ? textMember(links, key) : undefined;
}
