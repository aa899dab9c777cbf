// MIME types of build TRO artifacts: the populace emitter's suffix table (pe-data §2.3) plus .tab for survey tables.

const BY_SUFFIX: Readonly<Record<string, string>> = {
  h5: 'application/x-hdf5',
  npz: 'application/x-numpy-npz',
  json: 'application/json',
  jsonld: 'application/ld+json',
  parquet: 'application/vnd.apache.parquet',
  csv: 'text/csv',
  // Not in populace's table: UK Data Service tables ship as tab-delimited text.
  tab: 'text/tab-separated-values',
};

/** The type of a file name by the text after its last `.` (lowercased); none for an unknown or missing suffix. */
export function buildMimeType(name: string): string | undefined {
  const lower = name.toLowerCase();
  const dot = lower.lastIndexOf('.');
  if (dot < 0) return undefined;
  const suffix = lower.slice(dot + 1);
  return Object.hasOwn(BY_SUFFIX, suffix) ? BY_SUFFIX[suffix] : undefined;
}
