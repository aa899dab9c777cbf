// Plain JSON for jsonld.js from pe-trace's lossless JSON: big integers and integral Python floats kept exact.
import { type JsonValue, type PlainJson, JsonNumber } from '../json/value.js';

const XSD_DOUBLE = 'http://www.w3.org/2001/XMLSchema#double';
const XSD_INTEGER = 'http://www.w3.org/2001/XMLSchema#integer';

/** JSON-LD's canonical xsd:double lexical form (`3000` → `3.0E3`), as jsonld.js writes doubles. */
function canonicalDouble(x: number): string {
  return x.toExponential(15).replace(/(\d)0*e\+?/, '$1E');
}

/**
 * Plain JSON for jsonld.js, keeping big integers exact: an int beyond 2^53 becomes a value object
 * `{"@value": "<digits>", "@type": xsd:integer}` (as a bare JS number it would be rounded).
 */

export function toJsonLdInput(v: JsonValue): PlainJson {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (v instanceof JsonNumber) {
    if (isBigInt(v)) return { '@value': String(v.int), '@type': XSD_INTEGER };
    // A Python float with an integral value (`3000.0`) would become xsd:integer as a JS number; keep it a double,
    // in JSON-LD's canonical lexical form (what jsonld.js writes for non-integral numbers), as pyld would.
    if (v.kind === 'float' && Number.isInteger(v.float)) return { '@value': canonicalDouble(v.float), '@type': XSD_DOUBLE };
    return v.float;
  }
  if (Array.isArray(v)) return v.map(toJsonLdInput);
  const out: { [key: string]: PlainJson } = {};
  const inner = v['@value'];
  // Inside a value object the digits go straight into @value (a value object cannot nest another).
  const bigDigits = inner instanceof JsonNumber && isBigInt(inner) ? String(inner.int) : undefined;
  for (const key of Object.keys(v)) {
    const child = v[key];
    if (child === undefined) continue;
    const converted = key === '@value' && bigDigits !== undefined ? bigDigits : toJsonLdInput(child);
    Object.defineProperty(out, key, { value: converted, enumerable: true, writable: true, configurable: true });
  }
  if (bigDigits !== undefined && out['@type'] === undefined) out['@type'] = XSD_INTEGER;
  return out;
}

function isBigInt(n: JsonNumber): boolean {
  return n.kind === 'int' && n.int !== undefined && (n.int > BigInt(Number.MAX_SAFE_INTEGER) || n.int < BigInt(Number.MIN_SAFE_INTEGER));
}

