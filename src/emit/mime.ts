// The MIME rule of policyengine.py's bundle TRO (interop §2.1 step 7), including its `@revision` quirk.

const BY_EXTENSION: Readonly<Record<string, string>> = {
  h5: 'application/x-hdf5',
  json: 'application/json',
  jsonld: 'application/ld+json',
  whl: 'application/zip',
};

/**
 * MIME type guessed from a file name, path or URL: `.tar.gz` → application/gzip, else the text after the
 * last `.` (case-insensitive) looked up in a four-entry table; anything else has no type. The rule is applied
 * to the whole string as given, so a certified URI `…/x.h5@1.56.16` yields none (its "extension" is `16`):
 * that quirk is what makes limited bundle TROs carry no dataset `trov:mimeType`, and we keep it for bytes.
 */
export function mimeTypeOf(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.tar.gz')) return 'application/gzip';
  const dot = lower.lastIndexOf('.');
  if (dot < 0) return undefined;
  const ext = lower.slice(dot + 1);
  return Object.hasOwn(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : undefined;
}
