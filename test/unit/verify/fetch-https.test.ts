// https fetching against loopback servers: redirects, timeouts, size caps, status codes, encodings, credentials, trust.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FetchError, fetchHttpsDigests } from '../../../src/verify/fetch-https.js';
import { verifyTro } from '../../../src/verify/verify.js';
import { TLS_CERT, httpServer, httpsServer, model, sha256, scratch } from './support.js';

const { server } = scratch();

const BODY = 'x'.repeat(2000);
const OPTIONS = { timeoutMs: 5000, maxBytes: 1_000_000, ca: TLS_CERT };

async function fetchDetail(url: string, options: Partial<typeof OPTIONS & { deadlineMs: number }> = {}): Promise<string> {
  try {
    await fetchHttpsDigests(url, ['sha256'], { ...OPTIONS, ...options });
  } catch (e) {
    if (e instanceof FetchError) return e.message;
    throw e;
  }
  return 'fetched';
}

describe('fetchHttpsDigests', () => {
  it('hashes the body and reports progress against Content-Length', async () => {
    const s = await server(httpsServer((_req, res) => res.end(BODY)));
    const progress: Array<[number, number | null]> = [];
    const result = await fetchHttpsDigests(`${s.origin}/a`, ['sha256', 'sha512'], { ...OPTIONS, onProgress: (b, t) => progress.push([b, t]) });
    expect(result.hex.sha256).toBe(sha256(BODY));
    expect(result.bytes).toBe(2000);
    expect(progress.at(-1)).toEqual([2000, 2000]);
    expect(s.headers[0]?.['accept-encoding']).toBe('identity');
    expect(s.headers[0]?.authorization).toBeUndefined();
  });

  it('gives the HTTP status of a non-2xx answer', async () => {
    const s = await server(
      httpsServer((req, res) => {
        res.statusCode = req.url === '/private' ? 401 : 404;
        res.end('nope');
      }),
    );
    expect(await fetchDetail(`${s.origin}/private`)).toBe('HTTP 401');
    expect(await fetchDetail(`${s.origin}/missing`)).toBe('HTTP 404');
  });

  it('follows https redirects (relative too) up to five', async () => {
    const s = await server(
      httpsServer((req, res) => {
        const n = Number((req.url ?? '/0').slice(1));
        if (n < 5) {
          res.statusCode = n % 2 === 0 ? 302 : 308;
          res.setHeader('location', `/${n + 1}`);
          res.end();
        } else res.end(BODY);
      }),
    );
    const result = await fetchHttpsDigests(`${s.origin}/0`, ['sha256'], OPTIONS);
    expect(result.hex.sha256).toBe(sha256(BODY));
    expect(s.requests).toEqual(['/0', '/1', '/2', '/3', '/4', '/5']);
  });

  it('stops after five redirects', async () => {
    const s = await server(
      httpsServer((_req, res) => {
        res.statusCode = 301;
        res.setHeader('location', '/again');
        res.end();
      }),
    );
    expect(await fetchDetail(`${s.origin}/start`)).toBe('too many redirects (more than 5)');
    expect(s.requests).toHaveLength(6);
  });

  it('refuses a redirect to http and never contacts the http server', async () => {
    const plain = await server(httpServer((_req, res) => res.end(BODY)));
    const s = await server(
      httpsServer((_req, res) => {
        res.statusCode = 302;
        res.setHeader('location', `${plain.origin}/a`);
        res.end();
      }),
    );
    expect(await fetchDetail(`${s.origin}/a`)).toBe(`redirect to a non-https location refused: ${plain.origin}/a`);
    expect(plain.requests).toEqual([]);
  });

  it('times out on a server that never answers', async () => {
    const s = await server(httpsServer(() => undefined));
    const started = Date.now();
    expect(await fetchDetail(`${s.origin}/slow`, { timeoutMs: 300 })).toBe('timed out after 300 ms without data');
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('times out on a body that stalls half way', async () => {
    const s = await server(
      httpsServer((_req, res) => {
        res.setHeader('content-length', '2000');
        res.write(BODY.slice(0, 1000));
      }),
    );
    expect(await fetchDetail(`${s.origin}/stall`, { timeoutMs: 300 })).toBe('timed out after 300 ms without data');
  });

  it('caps the body size, with or without Content-Length', async () => {
    const s = await server(
      httpsServer((req, res) => {
        if (req.url === '/chunked') {
          res.write(BODY.slice(0, 600));
          res.end(BODY.slice(600));
        } else res.end(BODY);
      }),
    );
    expect(await fetchDetail(`${s.origin}/sized`, { maxBytes: 1000 })).toBe('response exceeds 1000 bytes');
    expect(await fetchDetail(`${s.origin}/chunked`, { maxBytes: 1000 })).toBe('response exceeds 1000 bytes');
    expect(await fetchDetail(`${s.origin}/chunked`, { maxBytes: 2000 })).toBe('fetched');
  });

  it('decodes a gzip Content-Encoding the server sends anyway, and caps the decoded size', async () => {
    const s = await server(
      httpsServer((_req, res) => {
        res.setHeader('content-encoding', 'gzip');
        res.end(gzipSync(BODY));
      }),
    );
    const result = await fetchHttpsDigests(`${s.origin}/z`, ['sha256'], OPTIONS);
    expect(result.hex.sha256).toBe(sha256(BODY));
    expect(await fetchDetail(`${s.origin}/z`, { maxBytes: 1500 })).toBe('response exceeds 1500 bytes');
  });

  it('refuses URLs with credentials and sends nothing', async () => {
    const s = await server(httpsServer((_req, res) => res.end(BODY)));
    expect(await fetchDetail(s.origin.replace('https://', 'https://user:secret@'))).toBe('credentials in artifact URL refused');
    expect(s.requests).toEqual([]);
  });

  it('does not trust a self-signed certificate unless its CA is given', async () => {
    const s = await server(httpsServer((_req, res) => res.end(BODY)));
    const { ca: _ca, ...untrusted } = OPTIONS;
    await expect(fetchHttpsDigests(`${s.origin}/a`, ['sha256'], untrusted)).rejects.toThrow(/self[- ]signed certificate/);
    expect(s.requests).toEqual([]);
  });
});

describe('https through the verifier', () => {
  it('turns fetch failures into unfetchable details and limits into options', async () => {
    const s = await server(
      httpsServer((req, res) => {
        if (req.url === '/hang') return;
        if (req.url === '/gone') {
          res.statusCode = 410;
          res.end();
          return;
        }
        res.end(BODY);
      }),
    );
    const m = model([
      { id: 'big', sha256: sha256(BODY), location: `${s.origin}/big` },
      { id: 'hang', sha256: sha256(BODY), location: `${s.origin}/hang` },
      { id: 'gone', sha256: sha256(BODY), location: `${s.origin}/gone` },
    ]);
    const report = await verifyTro(m, { ca: TLS_CERT, fetchHttps: true, httpsMaxBytes: 100, httpsTimeoutMs: 250 });
    expect(report.artifacts.map((a) => [a.status, a.detail])).toEqual([
      ['unfetchable', 'response exceeds 100 bytes'],
      ['unfetchable', 'timed out after 250 ms without data'],
      ['unfetchable', 'HTTP 410'],
    ]);
    const ok = await verifyTro(model([{ id: 'big', sha256: sha256(BODY), location: `${s.origin}/big` }]), { ca: TLS_CERT, fetchHttps: true });
    expect(ok.verified).toBe(true);
  });

  it('a total deadline ends a body that trickles in forever, however lively the connection (issue 9 item 17)', async () => {
    // One byte per tick, never finishing: the inactivity timeout (60 s) never fires, only the deadline can.
    const s = await server(
      httpsServer((req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const tick = setInterval(() => res.write('x'), 20);
        req.on('close', () => clearInterval(tick));
        res.on('close', () => clearInterval(tick));
      }),
    );
    const m = model([{ id: 'slow', sha256: sha256(BODY), location: `${s.origin}/slow` }]);
    const report = await verifyTro(m, { ca: TLS_CERT, fetchHttps: true, httpsTimeoutMs: 60_000, httpsDeadlineMs: 1000 });
    expect(report.artifacts.map((a) => [a.status, a.detail])).toEqual([['unfetchable', 'deadline of 1000 ms passed before the artifact was fully read']]);
    expect(await fetchDetail(`${s.origin}/slow`, { timeoutMs: 60_000, deadlineMs: 1000 })).toBe('deadline of 1000 ms passed before the artifact was fully read');
  });
});
