// A document's bytes read for the fast lifter with V8's JSON.parse, only when that is exactly what parseJson reads.
//
// pe-trace's own reader (src/json/parse.ts) keeps what Python's json keeps (ints vs floats, big ints), refuses
// duplicate keys and over-deep nesting, and builds null-prototype objects that V8 keeps in dictionary mode. For the
// documents the fast lifter takes (strings, objects and arrays; no numbers) JSON.parse builds the same tree, two to
// three times faster, in objects the walk reads faster. The differences are checked, never assumed:
// - bytes that are not UTF-8, a byte-order mark, anything JSON.parse refuses: not read here (parseJson reports it);
// - duplicate keys, which JSON.parse silently merges: every key of the text ends with `"`, white space, `:`, so
//   the text has at least as many such places as keys; equal to the tree's key count means no key was merged;
// - nesting deeper than parseJson allows: not read here;
// - numbers (JSON.parse cannot tell `1` from `1.0` or keep big ints): the walk leaves the subset at the first one
//   (fastToTerms `refuseNumbers`), and the caller falls back to parseJson.
// test/unit/rdf/fast-lift-json.test.ts compares both readers on hostile texts (fast-check).
import { DEFAULT_JSON_MAX_BYTES, DEFAULT_JSON_MAX_DEPTH } from '../json/parse.js';
import type { Json } from './fast-lift-context.js';

// Fatal: invalid UTF-8 is parseJson's error to report. ignoreBOM: a leading U+FEFF stays, so JSON.parse refuses it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The JSON tree of `bytes` as parseJson would read it apart from numbers, or undefined when JSON.parse may differ. */
export function readForFastLift(bytes: Uint8Array): Json | undefined {
  if (bytes.length > DEFAULT_JSON_MAX_BYTES) return undefined;
  let text: string;
  let tree: unknown;
  try {
    text = utf8.decode(bytes);
    tree = JSON.parse(text);
  } catch {
    return undefined;
  }
  const keys = countKeys(tree, 0);
  if (keys < 0 || keys !== keyEnds(text)) return undefined;
  return tree as Json;
}

/** Own keys of every object in the tree; -1 when it nests deeper than parseJson accepts. */
function countKeys(v: unknown, depth: number): number {
  if (typeof v !== 'object' || v === null) return 0;
  // parseJson refuses a container opened at depth DEFAULT_JSON_MAX_DEPTH (0-based); stop well before.
  if (depth >= DEFAULT_JSON_MAX_DEPTH - 1) return -1;
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const c = countKeys(v[i], depth + 1);
      if (c < 0) return -1;
      n += c;
    }
    return n;
  }
  const obj = v as Record<string, unknown>;
  for (const k in obj) {
    if (!Object.hasOwn(obj, k)) continue;
    const c = countKeys(obj[k], depth + 1);
    if (c < 0) return -1;
    n += 1 + c;
  }
  return n;
}

/** Places in the text where a `"` is followed by JSON white space and a `:` (every key ends so; a string may too). */
export function keyEnds(text: string): number {
  let n = 0;
  for (let colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
    let k = colon - 1;
    let c = text.charCodeAt(k);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(--k);
    if (c === 34) n++;
  }
  return n;
}
