// MIME types of build TRO artifacts: the shared suffix table's pop rule (pe-data §2.3, plus .tab for survey tables).
import { mimeTypeFor } from '../emit/mime.js';

/** The type of a file name by the text after its last `.` (lowercased); none for an unknown or missing suffix. */
export function buildMimeType(name: string): string | undefined {
  return mimeTypeFor('pop', name);
}
