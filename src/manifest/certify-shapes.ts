// The extra gate of pe-trace certification: the published manifest must fit our schema and SHACL shapes.
import { DOCUMENT_IRI_PREFIX } from '../rdf/lift.js';
import { CertificationError } from './certify-rules.js';
import type { ReadDataReleaseManifest } from './data-release-manifest.js';
import { PE_NAMESPACE } from './lift-manifest.js';
import { validateDataReleaseManifest } from './validate-drm.js';

/** Refuses a published manifest that fails our schema or a SHACL violation (policyengine.py's own rules ran first). */
export async function checkShapes(read: ReadDataReleaseManifest, label: string): Promise<void> {
  const report = await validateDataReleaseManifest(read.raw, { label });
  const schemaIssue = report.schema[0];
  if (schemaIssue !== undefined) {
    throw new CertificationError(`${label}#${schemaIssue.pointer}: the data release manifest does not fit its schema: ${schemaIssue.message}`);
  }
  const violation = report.shacl.find((r) => r.severity === 'violation');
  if (violation !== undefined) {
    const focus = shortTerm(violation.focusNode);
    const where = violation.path === undefined ? focus : `${focus} ${shortTerm(violation.path)}`;
    const value = violation.value === undefined ? '' : ` (value ${violation.value})`;
    throw new CertificationError(`${label}: the data release manifest violates its SHACL shapes at ${where}: ${violation.message}${value}`);
  }
}

/** An IRI of the lifted manifest as a reader knows it: `pe:revision`, `#artifact/x`, or the manifest itself. */
function shortTerm(iri: string): string {
  if (iri.startsWith(PE_NAMESPACE)) return `pe:${iri.slice(PE_NAMESPACE.length)}`;
  const hash = iri.indexOf('#');
  if (hash >= 0 && iri.startsWith(DOCUMENT_IRI_PREFIX)) return iri.slice(hash);
  if (iri.startsWith(DOCUMENT_IRI_PREFIX)) return 'the manifest';
  return iri;
}
