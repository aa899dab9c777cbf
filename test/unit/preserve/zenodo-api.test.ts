// The deposit API client's retry policy (injected sleep: no test waits on a clock), the model dumps against policyengine.py's bytes, and the licence gate's transport errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJsonBytes } from '../../../src/json/index.js';
import { createNodeHttpClient, createNodeRequester, parseBundleManifest, parseDataReleaseManifest, readCountryRelease } from '../../../src/manifest/index.js';
import { ZenodoApi, ZenodoError, assertSourceRepoPublic, textMember, countryReleaseDump, dataReleaseManifestDump, pythonUtcIso } from '../../../src/preserve/index.js';
import { FIXTURES } from '../../support/cli.js';
import { LoopbackHub } from '../../support/loopback-hub.js';
import { LoopbackZenodo } from '../../support/loopback-zenodo.js';
import { bytesOf, usDrm } from '../../support/manifest-samples.js';

let z: LoopbackZenodo;
let pauses: number[];
const sleep = async (ms: number): Promise<void> => {
  pauses.push(ms);
};
beforeEach(async () => {
  z = await LoopbackZenodo.start();
  pauses = [];
});
afterEach(async () => {
  await z.close();
});

function api(attempts = 4): ZenodoApi {
  return new ZenodoApi(createNodeRequester({ allowLoopbackHttp: true }), z.api, z.token, { attempts, baseDelayMs: 100, sleep });
}

describe('ZenodoApi retries', () => {
  it('retries a 429 after the larger of the backoff and Retry-After, then succeeds', async () => {
    z.fail('POST', /^\/api\/deposit\/depositions$/, { status: 429, headers: { 'retry-after': '7', 'x-ratelimit-remaining': '0' } });
    const a = await api().send({ step: 'deposition creation', method: 'POST', url: `${z.api}/deposit/depositions`, json: {}, expect: [201] });
    expect(a.status).toBe(201);
    expect(pauses).toEqual([7000]);
    expect(z.calls).toEqual(['POST /api/deposit/depositions', 'POST /api/deposit/depositions']);
  });

  it('backs off exponentially on 5xx for an idempotent PUT and on a dropped connection', async () => {
    const id = textMember((await api().send({ step: 'c', method: 'POST', url: `${z.api}/deposit/depositions`, json: {}, expect: [201] })).body, 'id');
    z.fail('PUT', /\/f\.bin$/, { status: 500, times: 2 });
    // Dropped twice: the first drop hits a kept-alive socket, which the transport resends at once on a fresh
    // connection (a stale keep-alive socket looks the same); the second, on that fresh connection, is a real failure.
    z.fail('PUT', /\/f\.bin$/, { drop: true, times: 2 });
    const a = await api().send({ step: 'upload of f.bin', method: 'PUT', url: `${z.api}/files/b-${id ?? ''}/f.bin`, bytes: new Uint8Array([1, 2, 3]), expect: [201] });
    expect(a.body?.['checksum']).toBe('md5:5289df737df57326fcdd22597afb1fac');
    expect(pauses).toEqual([100, 200, 400]);
  });

  it('never repeats a POST after a 5xx, and reports the last status once the tries are spent', async () => {
    z.fail('POST', /^\/api\/deposit\/depositions$/, { status: 503, body: 'busy' });
    const e = await api().send({ step: 'deposition creation', method: 'POST', url: `${z.api}/deposit/depositions`, json: {}, expect: [201] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ZenodoError);
    expect((e as ZenodoError).message).toBe('Zenodo deposition creation failed with HTTP 503: busy');
    expect((e as ZenodoError).status).toBe(503);
    expect(pauses).toEqual([]);
    z.fail('GET', /^\/api\/deposit\/depositions\/1$/, { status: 502, times: 9 });
    const spent = await api(3).send({ step: 'lookup', method: 'GET', url: `${z.api}/deposit/depositions/1`, expect: [200] }).catch((x: unknown) => x);
    expect((spent as ZenodoError).status).toBe(502);
    expect(pauses).toEqual([100, 200]);
  });

  it('sends JSON with its content type and the bearer token; the fake answers 401 to a wrong token', async () => {
    const wrong = new ZenodoApi(createNodeRequester({ allowLoopbackHttp: true }), z.api, 'nope', { sleep });
    const e = await wrong.send({ step: 'deposition creation', method: 'POST', url: `${z.api}/deposit/depositions`, json: {}, expect: [201] }).catch((x: unknown) => x);
    expect((e as ZenodoError).status).toBe(401);
    expect(z.log[0]).toMatchObject({ contentType: 'application/json', authorization: 'Bearer nope' });
  });

  it('refuses plain http to a non-loopback host (production is https only)', async () => {
    const e = await new ZenodoApi(createNodeRequester({ allowLoopbackHttp: true }), 'http://zenodo.org/api', 't', { sleep, attempts: 1 })
      .send({ step: 'deposition creation', method: 'POST', url: 'http://zenodo.org/api/deposit/depositions', json: {}, expect: [201] })
      .catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/refusing to fetch http:\/\/zenodo\.org/);
  });
});

describe('model dumps (the bytes the mirror uploads)', () => {
  const manifest = parseBundleManifest(readFileSync(join(FIXTURES, 'policyengine-py', 'shipped', 'manifest.json')), { label: 'manifest.json' });
  for (const cc of ['us', 'uk']) {
    it(`${cc}.bundle_manifest.json equals policyengine.py 5.0.3's upload byte for byte`, () => {
      const expected = readFileSync(join(FIXTURES, 'policyengine-py', 'generated', `${cc}.bundle_manifest.zenodo-deposit.json`));
      expect(Buffer.from(canonicalJsonBytes(countryReleaseDump(readCountryRelease(manifest, cc).release))).equals(expected)).toBe(true);
    });
  }

  it('a data release manifest dump fills every default, drops unknown keys and keeps null fields', () => {
    const drm = parseDataReleaseManifest(bytesOf(usDrm({ extra_key: 'dropped' })), { label: 'drm' }).manifest;
    const dump = dataReleaseManifestDump(drm);
    expect(Object.keys(dump).sort()).toEqual(['artifacts', 'build', 'compatible_core_packages', 'compatible_model_packages', 'data_package', 'default_datasets', 'metadata', 'preservation_dois', 'schema_version']);
    expect(dump['data_package']).toEqual({ name: 'populace-data', version: '0.1.0', sha256: null, wheel_url: null });
    expect(dump['compatible_core_packages']).toEqual([]);
    expect(dump['preservation_dois']).toEqual([]);
    expect(dump['metadata']).toEqual({});
    expect((dump['build'] as Record<string, unknown>)['built_with_core_package']).toBeNull();
    expect((dump['artifacts'] as Record<string, Record<string, unknown>>)['populace_us_2024']?.['preservation_mirrors']).toEqual([]);
  });

  it('deposited_at is Python isoformat in UTC', () => {
    expect(pythonUtcIso(new Date('2026-12-07T14:05:33.120Z'))).toBe('2026-12-07T14:05:33.120000+00:00');
  });
});

describe('licence gate', () => {
  const http = createNodeHttpClient({ allowLoopbackHttp: true });
  it('positive confirmation only: 403/404 refuse as not public, the models API can confirm, 200 with gated false is public', async () => {
    const hub = await LoopbackHub.start();
    try {
      hub.set('/api/datasets/o/r', { status: 404 }).set('/api/models/o/r', { status: 403 });
      const e = await assertSourceRepoPublic(http, 'o/r', hub.url).catch((x: unknown) => x);
      expect((e as { code?: string }).code).toBe('SOURCE_NOT_PUBLIC');
      expect((e as Error).message).toContain('[datasets:404, models:403]');
      hub.set('/api/datasets/o/m', { status: 404 }).file('/api/models/o/m', '{"private": false, "gated": false}');
      await expect(assertSourceRepoPublic(http, 'o/m', hub.url)).resolves.toBeUndefined();
      hub.file('/api/datasets/o/a', '["not", "an", "object"]').set('/api/models/o/a', { status: 500 });
      const odd = await assertSourceRepoPublic(http, 'o/a', hub.url).catch((x: unknown) => x);
      expect((odd as { code?: string }).code).toBe('SOURCE_UNVERIFIABLE');
      expect((odd as Error).message).toContain('[datasets:200-non-object, models:500]');
    } finally {
      await hub.close();
    }
  });

  it('an unreachable hub is unverifiable (never public, never private)', async () => {
    const port = Number(new URL(z.origin).port);
    await z.close();
    const e = await assertSourceRepoPublic(createNodeHttpClient({ allowLoopbackHttp: true }), 'o/r', `http://127.0.0.1:${port}`).catch((x: unknown) => x);
    expect((e as { code?: string }).code).toBe('SOURCE_UNVERIFIABLE');
    expect((e as Error).message).toContain('[datasets:error, models:error]');
    z = await LoopbackZenodo.start();
  });
});
