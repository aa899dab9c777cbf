// TROV term rules: pinned prefixes, known terms, the version, predefined capability/attribute/signing values, custom terms.
import { isJsonObject } from '../../json/value.js';
import type { JsonValue } from '../../json/value.js';
import { membersByIri, nodesOfTrovType, nodesVia, shown, trovMembers, trovName, valuesOf } from '../document.js';
import type { ConformanceDocument, NodeSite } from '../document.js';
import { type Expectation, at } from '../expectation.js';
import { childPointer } from '../pointer.js';
import {
  EXTENSIBLE_SUPERCLASSES,
  HASH_HEX_LENGTHS,
  PINNED_PREFIXES,
  PREDEFINED_CAPABILITIES,
  PREDEFINED_PERFORMANCE_ATTRIBUTES,
  PREDEFINED_SIGNING_MECHANISMS,
  PREDEFINED_TRO_ATTRIBUTES,
  RDFS_NS,
  TROV_01_NS,
} from '../terms.js';
import type { Finding } from '../types.js';

export const corePrefixesPinned: Expectation = {
  id: 'core-prefixes-pinned',
  summary: 'trov is declared as https://w3id.org/trace/trov/0.1# and is the only prefix for a TROV namespace; rdf, rdfs and schema, if declared, are the standard ones.',
  check: (doc) => {
    const out: Finding[] = [];
    const trov = doc.prefixes.get('trov');
    if (trov === undefined) out.push(at(doc.contextObjects[0]?.pointer ?? doc.rootContext?.pointer ?? '', `the context does not declare the prefix "trov" (${TROV_01_NS})`));
    for (const [prefix, site] of doc.prefixes) {
      const pinned = PINNED_PREFIXES.get(prefix);
      if (pinned !== undefined && site.iri !== pinned) out.push(at(site.pointer, `prefix "${prefix}" must map to ${pinned}, not ${shown(site.iri)}`));
      else if (pinned === undefined && site.iri === TROV_01_NS) out.push(at(site.pointer, `prefix "${prefix}" also maps to the TROV namespace; only "trov" may`));
    }
    return out;
  },
};

type SpellingRole = 'property' | 'type' | 'identifier' | 'value';

/** Every place a TROV name is spelled outside the context: member names, @type/@id values, string values. */
function trovNameSpellings(doc: ConformanceDocument): { name: string; pointer: string; role: SpellingRole }[] {
  const out: { name: string; pointer: string; role: SpellingRole }[] = [];
  const consider = (s: string, pointer: string, role: SpellingRole): void => {
    const name = trovName(doc, s);
    if (name !== undefined) out.push({ name, pointer, role });
  };
  for (const m of doc.members) {
    if (m.inContext) continue;
    if (!m.key.startsWith('@')) consider(m.key, m.pointer, 'property');
    const role: SpellingRole = m.key === '@type' ? 'type' : m.key === '@id' ? 'identifier' : 'value';
    if (typeof m.value === 'string') consider(m.value, m.pointer, role);
    else if (Array.isArray(m.value)) m.value.forEach((v, i) => typeof v === 'string' && consider(v, childPointer(m.pointer, i), role));
  }
  return out;
}

/** trov-terms-known against one version's list of known names. */
export function trovTermsKnown(known: ReadonlySet<string>): Expectation {
  return {
    id: 'trov-terms-known',
    summary: 'Names in the TROV namespace are all terms of the vocabulary (no typos, no pre-release spellings).',
    requires: ['core-prefixes-pinned'],
    check: (doc) =>
      trovNameSpellings(doc)
        .filter((s) => !known.has(s.name))
        .map((s) => at(s.pointer, `trov:${s.name} (as a ${s.role}) is not a TROV term${hint(s.name)}`)),
  };
}

/** Pre-release and misspelled names seen in the wild, with the 0.1 term to use (trace-trov.md §1.3). */
const REPLACEMENTS: ReadonlyMap<string, string> = new Map([
  ['TransparentResearchSystem', 'trov:TrustedResearchSystem'],
  ['TransparentResearchPerformance', 'trov:TrustedResearchPerformance'],
  ['TransparentResearchElement', 'trov:TrustedResearchElement'],
  ['TRSTrustedResearchSystem', 'trov:TrustedResearchSystem'],
  ['ArtifactLocus', 'trov:ArtifactLocation'],
  ['hasLocus', 'trov:hasArtifactLocation'],
  ['hasLocation', 'trov:path'],
  ['sha256', 'trov:hash {trov:hashAlgorithm, trov:hashValue}'],
  ['hadPerformanceAttribute', 'trov:hasPerformanceAttribute'],
  ['modifiedArrangement', 'trov:contributedToArrangement'],
  ['InternetIsolationCapability', 'trov:CanProvideInternetIsolation'],
]);

function hint(name: string): string {
  const r = REPLACEMENTS.get(name);
  return r === undefined ? '' : `; TROV 0.1 uses ${r}`;
}

/** Nodes typed trov:TransparentResearchObject, wherever they are. */
export function troNodes(doc: ConformanceDocument): NodeSite[] {
  return nodesOfTrovType(doc, 'TransparentResearchObject');
}

export const trovVersionKnown: Expectation = {
  id: 'trov-version-known',
  summary: 'The TRO declares trov:vocabularyVersion "0.1".',
  requires: ['core-prefixes-pinned'],
  check: (doc) => {
    // A document without a TRO (a TRS description, say) declares no version and needs none; STANDALONE-TRO asks for the TRO.
    return troNodes(doc).flatMap((t) => {
      const found = trovMembers(doc, t, 'vocabularyVersion');
      if (found.length === 0) return [at(t.pointer, 'the TRO does not declare trov:vocabularyVersion (expected "0.1")')];
      return found.filter((f) => f.value !== '0.1').map((f) => at(f.pointer, `trov:vocabularyVersion must be the string "0.1", found ${shown(f.value)}`));
    });
  },
};

/** The hash objects: every node under trov:hash (artifact hashes and fingerprint hashes). */
export function hashNodes(doc: ConformanceDocument): NodeSite[] {
  return nodesVia(doc, 'hash');
}

/** The algorithm a hash object names, if it names exactly one string. */
function algorithmOf(doc: ConformanceDocument, h: NodeSite): { value: JsonValue | undefined; pointer: string } {
  const found = trovMembers(doc, h, 'hashAlgorithm');
  return found.length === 0 ? { value: undefined, pointer: h.pointer } : { value: found[0]?.value, pointer: found[0]?.pointer ?? h.pointer };
}

const ALGORITHMS = [...HASH_HEX_LENGTHS.keys()].join(', ');

export const hashAlgorithmsPermitted: Expectation = {
    id: 'hash-algorithms-permitted',
    summary: `Every hash names a permitted algorithm: ${ALGORITHMS}.`,
    requires: ['core-prefixes-pinned'],
    check: (doc) =>
      hashNodes(doc).flatMap((h) => {
        const { value, pointer } = algorithmOf(doc, h);
        if (value === undefined) return [at(h.pointer, 'this hash names no trov:hashAlgorithm')];
        if (typeof value === 'string' && HASH_HEX_LENGTHS.has(value)) return [];
        return [at(pointer, `${shown(value)} is not a permitted hash algorithm (use one of ${ALGORITHMS})`)];
      }),
};

export const hashValuesCorrectForm: Expectation = {
    id: 'hash-values-correct-form',
    summary: "A hash value is the algorithm's digest in lowercase hex, with exactly as many digits as that algorithm yields.",
    requires: ['hash-algorithms-permitted'],
    check: (doc) =>
      hashNodes(doc).flatMap((h) => {
        const algorithm = algorithmOf(doc, h).value;
        const length = typeof algorithm === 'string' ? HASH_HEX_LENGTHS.get(algorithm) : undefined;
        const found = trovMembers(doc, h, 'hashValue');
        if (found.length === 0) return [at(h.pointer, 'this hash has no trov:hashValue')];
        return found.flatMap((f) => {
          if (typeof f.value === 'string' && /^[0-9a-f]*$/.test(f.value) && f.value.length === length) return [];
          const what = typeof f.value !== 'string' ? `found ${shown(f.value)}` : /^[0-9a-f]*$/.test(f.value) ? `found ${f.value.length} characters` : `found ${shown(f.value)}`;
          return [at(f.pointer, `a ${String(algorithm)} value must be ${String(length)} lowercase hex digits, ${what}`)];
        });
      }),
};

/** Nodes under `via` whose trov: @type is not in `allowed`. */
function predefinedTypes(doc: ConformanceDocument, via: string, allowed: ReadonlySet<string>, what: string): Finding[] {
  const out: Finding[] = [];
  for (const n of nodesVia(doc, via)) {
    const types = valuesOf(n.node['@type']);
    types.forEach((t, i) => {
      if (typeof t !== 'string') return;
      const name = trovName(doc, t);
      if (name !== undefined && !allowed.has(name)) {
        out.push(at(Array.isArray(n.node['@type']) ? childPointer(childPointer(n.pointer, '@type'), i) : childPointer(n.pointer, '@type'), `trov:${name} is not one of the ${allowed.size} ${what} TROV predefines; a custom one belongs in your own namespace`));
      }
    });
  }
  return out;
}

export const trovCapabilitiesPredefined: Expectation = {
  id: 'trov-capabilities-predefined',
  summary: 'A capability typed in the TROV namespace has one of the 17 predefined capability types.',
  requires: ['core-prefixes-pinned'],
  check: (doc) => predefinedTypes(doc, 'hasCapability', PREDEFINED_CAPABILITIES, 'capabilities'),
};

export const trovPerformanceAttributesPredefined: Expectation = {
  id: 'trov-performance-attributes-predefined',
  summary: 'A performance attribute typed in the TROV namespace is trov:InternetIsolation or trov:InternetAccessRecording.',
  requires: ['core-prefixes-pinned'],
  check: (doc) => predefinedTypes(doc, 'hasPerformanceAttribute', PREDEFINED_PERFORMANCE_ATTRIBUTES, 'performance attributes'),
};

export const trovTroAttributesPredefined: Expectation = {
  id: 'trov-tro-attributes-predefined',
  summary: 'A TRO attribute typed in the TROV namespace is trov:IncludesAllInputData.',
  requires: ['core-prefixes-pinned'],
  check: (doc) => predefinedTypes(doc, 'hasAttribute', PREDEFINED_TRO_ATTRIBUTES, 'TRO attributes'),
};

/** Values of every trov:customTerm member: the declared term's IRI (object @id or string) with a pointer. */
function customTermIds(doc: ConformanceDocument): { id: JsonValue | undefined; pointer: string }[] {
  return doc.members
    .filter((m) => !m.inContext && !m.key.startsWith('@') && trovName(doc, m.key) === 'customTerm')
    .flatMap((m) =>
      valuesOf(m.value).map((v, i) => {
        const pointer = Array.isArray(m.value) ? childPointer(m.pointer, i) : m.pointer;
        return isJsonObject(v) ? { id: v['@id'], pointer: childPointer(pointer, '@id') } : { id: v, pointer };
      }),
    );
}

export const customTermsNotTrov: Expectation = {
  id: 'custom-terms-not-trov',
  summary: 'Terms declared with trov:customTerm live in their owner\'s namespace, never in TROV\'s.',
  requires: ['core-prefixes-pinned'],
  check: (doc) =>
    customTermIds(doc).flatMap(({ id, pointer }) => {
      if (typeof id !== 'string') return [];
      return trovName(doc, id) !== undefined ? [at(pointer, `the custom term ${shown(id)} is in the TROV namespace; declare it in your own namespace`)] : [];
    }),
};

export const customTermSuperclassesExtensible: Expectation = {
  id: 'custom-term-superclasses-extensible',
  summary: 'Every superclass a custom term names (rdfs:subClassOf) is trov:TRSCapabilityType or trov:TRPAttributeType.',
  requires: ['core-prefixes-pinned'],
  check: (doc) =>
    nodesVia(doc, 'customTerm').flatMap((n) => {
      const supers = membersByIri(doc, n, `${RDFS_NS}subClassOf`);
      // A custom term that names no superclass extends nothing TROV has closed, so only named superclasses are judged.
      return supers.flatMap((s) =>
        valuesOf(s.value).flatMap((v, i) => {
          const pointer = Array.isArray(s.value) ? childPointer(s.pointer, i) : s.pointer;
          const id = isJsonObject(v) && typeof v['@id'] === 'string' ? v['@id'] : undefined;
          const name = id === undefined ? undefined : trovName(doc, id);
          if (name !== undefined && EXTENSIBLE_SUPERCLASSES.has(name)) return [];
          const found = id === undefined ? shown(v) : id;
          return [at(pointer, `a custom term may only extend {"@id": "trov:TRSCapabilityType"} or {"@id": "trov:TRPAttributeType"}, found ${found}`)];
        }),
      );
    }),
};

export const trovSigningMechanismsPredefined: Expectation = {
  id: 'trov-signing-mechanisms-predefined',
  summary: 'trov:signingMechanism is a reference {"@id": …}; a TROV one is trov:GPGSigning or trov:X509CMSSigning.',
  requires: ['core-prefixes-pinned'],
  check: (doc) =>
    doc.members
      .filter((m) => !m.inContext && !m.key.startsWith('@') && trovName(doc, m.key) === 'signingMechanism')
      .flatMap((m) =>
        valuesOf(m.value).flatMap((v, i) => {
          const pointer = Array.isArray(m.value) ? childPointer(m.pointer, i) : m.pointer;
          if (!isJsonObject(v) || typeof v['@id'] !== 'string') return [at(pointer, `a signing mechanism is named by reference, {"@id": "trov:GPGSigning"} for example; found ${shown(v)}`)];
          const name = trovName(doc, v['@id']);
          return name !== undefined && !PREDEFINED_SIGNING_MECHANISMS.has(name) ? [at(childPointer(pointer, '@id'), `trov:${name} is not a TROV signing mechanism (trov:GPGSigning or trov:X509CMSSigning)`)] : [];
        }),
      ),
};

