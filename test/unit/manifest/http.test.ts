// The node:http(s) client against real loopback servers: redirects, credentials across hosts, scheme rules, limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFetchable, createNodeHttpClient, isLoopbackHost } from '../../../src/manifest/http.js';
import { LoopbackHub } from '../../support/loopback-hub.js';

let a: LoopbackHub;
let b: LoopbackHub;
beforeAll(async () => {
  a = await LoopbackHub.start();
  b = await LoopbackHub.start();
});
afterAll(async () => {
  await a.close();
  await b.close();
});

describe('createNodeHttpClient', () => {
  const http = createNodeHttpClient({ allowLoopbackHttp: true });

  it('GETs bytes and HEADs a status, following redirects', async () => {
    a.file('/f', 'hello').set('/r1', { redirect: '/r2' }).set('/r2', { redirect: '/f' });
    const res = await http.get(`${a.url}/r1`);
    expect(res.status).toBe(200);
    expect(Buffer.from(res.body).toString()).toBe('hello');
    expect(res.url).toBe(`${a.url}/f`);
    expect(await http.head(`${a.url}/r1`)).toBe(200);
    expect(await http.head(`${a.url}/missing`)).toBe(404);
  });

  it('keeps the token on the same host and drops it when a redirect changes host', async () => {
    b.file('/cdn', 'bytes');
    a.set('/private', { token: 't', redirect: `${b.url}/cdn` });
    const res = await http.get(`${a.url}/private`, { authorization: 'Bearer t' });
    expect(res.status).toBe(200);
    expect(a.requests.at(-1)).toMatchObject({ path: '/private', authorization: 'Bearer t' });
    expect(b.requests.at(-1)?.path).toBe('/cdn');
    expect(b.requests.at(-1)?.authorization).toBeUndefined();
  });

  it('stops redirect loops and oversized bodies', async () => {
    a.set('/loop', { redirect: '/loop' });
    await expect(http.get(`${a.url}/loop`)).rejects.toThrow(/too many redirects/);
    a.file('/big', 'x'.repeat(2000));
    await expect(createNodeHttpClient({ allowLoopbackHttp: true, maxBodyBytes: 1000 }).get(`${a.url}/big`)).rejects.toThrow(/exceeds 1000 bytes/);
  });

  it('refuses plain http unless allowed, and then only to loopback', async () => {
    await expect(createNodeHttpClient().get(`${a.url}/f`)).rejects.toThrow(/refusing to fetch http:/);
    expect(() => checkFetchable('http://example.org/x', true)).toThrow(/only https/);
    expect(() => checkFetchable('ftp://127.0.0.1/x', true)).toThrow(/only https/);
    expect(() => checkFetchable('not a url', true)).toThrow(/not a valid URL/);
    expect(checkFetchable('https://huggingface.co/x', false).host).toBe('huggingface.co');
  });

  it('knows loopback hosts', () => {
    expect(['127.0.0.1', '127.1.2.3', '[::1]', 'localhost'].every(isLoopbackHost)).toBe(true);
    expect(['128.0.0.1', 'example.org', '10.0.0.1'].some(isLoopbackHost)).toBe(false);
  });
});
