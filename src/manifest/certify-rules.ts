// The certification verdict on a data release manifest (interop §4.3 validate_release_manifest): hard failures in order, then the basis.
import { PeTraceError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { specifierContains } from './pep440.js';
import type { DataReleaseManifest } from './types.js';

/** A refusal to certify (exit 4 by default): the data does not support the requested pairing. */
export class CertificationError extends PeTraceError {
  constructor(message: string, code: ErrorCode = 'CERTIFICATION_REFUSED') {
    super(code, message);
    this.name = 'CertificationError';
  }
}

/**
 * Why the data is considered compatible with the model version:
 * - `built_with_model_package`: the data was built with exactly this model package and version;
 * - `matching_data_build_fingerprint`: built with another version whose data-build fingerprint equals the
 *   one the caller measured for this version (the basis policyengine.py only plans for certification);
 * - `legacy_compatible_model_package`: only the publisher's PEP 440 compatibility claim covers it (warned).
 */
export type CompatibilityBasis = 'built_with_model_package' | 'matching_data_build_fingerprint' | 'legacy_compatible_model_package';

export interface ReleaseVerdict {
  readonly basis: CompatibilityBasis;
  /** The national default dataset (an artifact name). */
  readonly defaultDataset: string;
  readonly warnings: readonly string[];
}

export interface VerdictOptions {
  /** The runtime model's data-build fingerprint (`sha256:<hex>`), enabling the fingerprint basis. */
  readonly dataBuildFingerprint?: string;
}

/** Python's `repr` of a str: single quotes unless only double quotes avoid escaping; control characters escaped. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp === 0x2028 || cp === 0x2029) out += `\\u${cp.toString(16)}`;
    else out += ch;
  }
  return out + quote;
}

/** Python's `repr` of a list of str: `['>=1.724.0,<2']`. */
export function pyListRepr(items: readonly string[]): string {
  return `[${items.map(pyStrRepr).join(', ')}]`;
}

/**
 * Checks a manifest for certifying `modelPackage==modelVersion`, in policyengine.py's order:
 * 1. a national default dataset is declared; 2. it is an artifact; 3. every artifact has a revision pin
 * (a missing sha256 only warns); 4. a compatibility basis exists. Throws CertificationError otherwise.
 */
export function validateReleaseManifest(drm: DataReleaseManifest, modelPackage: string, modelVersion: string, options: VerdictOptions = {}): ReleaseVerdict {
  const national = Object.hasOwn(drm.default_datasets, 'national') ? drm.default_datasets['national'] : undefined;
  if (national === undefined || national === '') throw new CertificationError('Release manifest declares no national default dataset.');
  if (!Object.hasOwn(drm.artifacts, national)) throw new CertificationError(`Default dataset '${national}' is not among the manifest artifacts.`);
  const warnings: string[] = [];
  for (const [name, art] of Object.entries(drm.artifacts)) {
    if (art.revision === '') throw new CertificationError(`Artifact '${name}' has no revision pin.`);
    if (art.sha256 === undefined || art.sha256 === '') warnings.push(`artifact '${name}' has no sha256`);
  }
  const bw = drm.build?.built_with_model_package;
  const sameModel = bw !== undefined && bw.name === modelPackage;
  // Name the build-time model by version when it is the same package, else by name and version.
  const builtWith = bw === undefined ? undefined : sameModel ? bw.version : `${bw.name} ${bw.version}`;
  const runtimeFp = options.dataBuildFingerprint;
  const buildFp = sameModel ? bw.data_build_fingerprint : undefined;
  const fingerprintNote =
    runtimeFp !== undefined && buildFp !== undefined && runtimeFp !== buildFp
      ? `the runtime data build fingerprint ${runtimeFp} differs from the build's ${buildFp}`
      : undefined;
  if (sameModel && bw.version === modelVersion) {
    return { basis: 'built_with_model_package', defaultDataset: national, warnings: withNote(warnings, fingerprintNote) };
  }
  if (runtimeFp !== undefined && buildFp !== undefined && runtimeFp === buildFp) {
    return { basis: 'matching_data_build_fingerprint', defaultDataset: national, warnings };
  }
  const specs = drm.compatible_model_packages.filter((c) => c.name === modelPackage).map((c) => c.specifier);
  if (specs.some((s) => specifierContains(s, modelVersion))) {
    warnings.push(
      `certifying ${modelPackage} ${modelVersion} on the publisher's compatibility claim ${pyListRepr(specs)}; ` +
        `the data was built with ${builtWith ?? 'an unrecorded model version'} — the test suite is the arbiter`,
    );
    return { basis: 'legacy_compatible_model_package', defaultDataset: national, warnings: withNote(warnings, fingerprintNote) };
  }
  const claims = specs.length > 0 ? pyListRepr(specs) : '(none declared)';
  const fpText = fingerprintNote === undefined ? '' : ` (${fingerprintNote})`;
  throw new CertificationError(
    `${modelPackage} ${modelVersion} matches neither the build-time model (${builtWith ?? 'unrecorded'}) nor any publisher compatibility claim ${claims}${fpText}; ` +
      'a new data build or a published compatibility claim is required.',
  );
}

function withNote(warnings: string[], note: string | undefined): string[] {
  return note === undefined ? warnings : [...warnings, note];
}
