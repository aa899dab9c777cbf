// Does the TRO being deposited pin the manifests deposited with it? Warnings only: policyengine.py uploads whatever TRO it ships.
import { parseJson } from '../json/index.js';
import type { CountryRelease, DataReleaseManifest } from '../manifest/index.js';
import { readTroModel } from '../tro/index.js';

/**
 * Compares the TRO's `bundle_manifest` and `data_release_manifest` artifact sha256 with the sha256 of the
 * manifest bytes read (`source_sha256`). A mismatch means the deposit would pair a TRO with manifests it does
 * not pin: worth saying before it becomes a permanent record.
 */
export function troBindingWarnings(troBytes: Uint8Array, troLabel: string, release: CountryRelease, drm: DataReleaseManifest | undefined): string[] {
  let model;
  try {
    model = readTroModel(parseJson(troBytes, { label: troLabel }), { label: troLabel });
  } catch (e) {
    return [`${troLabel} is not a TRO pe-trace can read (${e instanceof Error ? e.message : String(e)}); it is deposited as given`];
  }
  const pinned = (shortId: string): string | undefined => model.artifacts.find((a) => a.shortId === shortId)?.hashes.find((h) => h.algorithm === 'sha256')?.value.toLowerCase();
  const out: string[] = [];
  const check = (shortId: string, what: string, actual: string | undefined): void => {
    const expected = pinned(shortId);
    if (expected !== undefined && actual !== undefined && expected !== actual) {
      out.push(`${troLabel} pins ${what} with sha256 ${expected}, but the one deposited was read from bytes with sha256 ${actual}: the TRO does not pin it`);
    }
  };
  check('bundle_manifest', 'the bundle manifest', release.source_sha256);
  if (drm !== undefined) check('data_release_manifest', 'the data release manifest', drm.source_sha256);
  return out;
}
