// Synthetic data release manifests shaped like the published ones (interop §10's test drm), for manifest and certify tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './cli.js';

export const TAG = 'populace-us-2024-aaaaaaa-20260101';
export const US_REPO = 'policyengine/populace-us';
export const US_MANIFEST_PATH = `releases/${TAG}/release_manifest.json`;
export const US_MANIFEST_URI = `hf://dataset/${US_REPO}@${TAG}/${US_MANIFEST_PATH}`;
export const SHA_C = 'c'.repeat(64);
export const SHA_A = 'a'.repeat(64);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonDoc = { [key: string]: Json };

export function artifact(path: string, extra: JsonDoc = {}): JsonDoc {
  return { kind: 'microdata', path, repo_id: US_REPO, revision: TAG, sha256: SHA_C, size_bytes: 123, ...extra };
}

/** The drm of interop §10: populace-data 0.1.0, built with policyengine-us 1.637.0, default populace_us_2024. */
export function usDrm(overrides: JsonDoc = {}): JsonDoc {
  return {
    schema_version: 1,
    data_package: { name: 'populace-data', version: '0.1.0' },
    compatible_model_packages: [{ name: 'policyengine-us', specifier: '==1.637.0' }],
    default_datasets: { national: 'populace_us_2024' },
    build: {
      build_id: TAG,
      built_at: '2026-04-10T12:00:00Z',
      built_with_model_package: { name: 'policyengine-us', version: '1.637.0', git_sha: 'deadbeef', data_build_fingerprint: 'sha256:build' },
    },
    artifacts: { populace_us_2024: artifact('populace_us_2024.h5') },
    ...overrides,
  };
}

/** The 51 state artifacts of a regional manifest (`states/XX` → `states/XX.h5`). */
export function stateArtifacts(codes: readonly string[], extra: (code: string) => JsonDoc = () => ({})): JsonDoc {
  const out: JsonDoc = {};
  for (const code of codes) out[`states/${code}`] = artifact(`states/${code}.h5`, { sha256: 'd'.repeat(64), ...extra(code) });
  return out;
}

export const SHIPPED_MANIFEST = join(FIXTURES, 'policyengine-py', 'shipped', 'manifest.json');
export const POPULACE_UK_DRM = join(
  FIXTURES,
  'pe-data',
  'microcosm',
  'packages__microcosm-data__tests__fixtures__uk_june_2023__populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z__release_manifest.json',
);
export const POPULACE_UK_TAG = 'populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z';
export const POPULACE_UK_URI = `hf://dataset/policyengine/populace-uk-private@${POPULACE_UK_TAG}/releases/${POPULACE_UK_TAG}/release_manifest.json`;

export function shippedManifestBytes(): Buffer {
  return readFileSync(SHIPPED_MANIFEST);
}

export function bytesOf(doc: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(doc));
}

/** Sets (or, with `undefined`, deletes) the value at a JSON pointer of a parsed document, creating nothing. */
export function setAt(doc: unknown, pointer: string, value: unknown): void {
  const tokens = pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = tokens.pop();
  let cur: unknown = doc;
  for (const t of tokens) {
    if (typeof cur !== 'object' || cur === null) throw new Error(`no object at ${t} in ${pointer}`);
    cur = (cur as Record<string, unknown>)[t];
  }
  if (typeof cur !== 'object' || cur === null || last === undefined) throw new Error(`cannot set ${pointer}`);
  if (value === undefined) delete (cur as Record<string, unknown>)[last];
  else (cur as Record<string, unknown>)[last] = value;
}
