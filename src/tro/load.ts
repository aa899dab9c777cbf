// Loads a TRO file: bytes (coded read errors), lossless JSON (located syntax errors), then the typed model.
import { readDocumentFile } from '../io/read-file.js';
import { parseJson } from '../json/parse.js';
import type { JsonValue } from '../json/value.js';
import type { TroModel } from './model.js';
import { readTroModel } from './read.js';

/** `label` names the file in messages (default: the path as given). The bytes are kept for hashing and signing. */
export async function loadTroFile(path: string, options: { label?: string } = {}): Promise<{ bytes: Uint8Array; json: JsonValue; model: TroModel }> {
  const label = options.label ?? path;
  const bytes = await readDocumentFile(path, { label });
  const json = parseJson(bytes, { label });
  return { bytes, json, model: readTroModel(json, { label }) };
}
