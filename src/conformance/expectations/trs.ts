// Trusted Research System rules: where the TRS is defined, how it is identified, how capabilities and warrants refer.
import { isJsonObject } from '../../json/value.js';
import type { JsonObject } from '../../json/value.js';
import { hasScheme, hasTrovType, shown, trovMembers, trovName, valuesOf } from '../document.js';
import type { ConformanceDocument, NodeSite } from '../document.js';
import { type Expectation, at } from '../expectation.js';
import { childPointer } from '../pointer.js';
import { PREDEFINED_CAPABILITIES } from '../terms.js';
import type { Finding } from '../types.js';

/** Where a TRS may be defined: as a top-level node, or as the one object of a top-level node's trov:wasAssembledBy. */
function inTrsPlace(doc: ConformanceDocument, n: NodeSite): boolean {
  if (n.topLevel) return true;
  const parent = n.parent;
  return parent !== undefined && parent.topLevel && n.via !== undefined && trovName(doc, n.via) === 'wasAssembledBy' && parent.node[n.via] === n.node;
}

export function trsNodes(doc: ConformanceDocument): NodeSite[] {
  return doc.nodes.filter((n) => hasTrovType(doc, n.node, 'TrustedResearchSystem'));
}

/** Why `id` is not a global name (a full IRI, or a prefixed name whose prefix is not TROV's), or undefined. */
function globalIdProblem(doc: ConformanceDocument, id: string): string | undefined {
  if (id.startsWith('_:')) return 'is a blank node label';
  if (!hasScheme(id)) return 'is relative to the document';
  return trovName(doc, id) !== undefined ? 'is in the TROV namespace' : undefined;
}

export const trsDefined: Expectation = {
  id: 'trs-defined',
  summary: 'The document describes a trov:TrustedResearchSystem with an @id, either in the @graph list or inline under the TRO\'s trov:wasAssembledBy; no TRS is described anywhere else.',
  requires: ['core-prefixes-pinned'],
  check: (doc) => {
    const out: Finding[] = [];
    const all = trsNodes(doc);
    for (const n of all) {
      if (!inTrsPlace(doc, n)) out.push(at(n.pointer, `a TRS defined here, under ${n.via ?? 'the document'}; define it as the single object of the TRO's trov:wasAssembledBy or at the top of the @graph`));
      else if (typeof n.node['@id'] !== 'string') out.push(at(n.pointer, 'this TRS has no @id'));
    }
    if (all.length === 0) out.push(at('', 'no node is typed trov:TrustedResearchSystem'));
    return out;
  },
};

export const trsIdAbsolute: Expectation = {
  id: 'trs-id-absolute',
  summary: 'The TRS has a global name: a full IRI, or a prefixed one whose prefix is not trov; never relative, never blank.',
  requires: ['trs-defined'],
  check: (doc) =>
    trsNodes(doc).flatMap((n) => {
      const id = n.node['@id'];
      if (typeof id !== 'string') return [];
      const problem = globalIdProblem(doc, id);
      return problem === undefined ? [] : [at(childPointer(n.pointer, '@id'), `the TRS @id ${shown(id)} ${problem}; name the TRS by an IRI it owns, e.g. "https://trs.example.org/"`)];
    }),
};

export const capabilityTermsKnown: Expectation = {
  id: 'capability-terms-known',
  summary: 'Each trov:hasCapability value is exactly {"@id": term}, naming a predefined TROV capability or a custom one by IRI.',
  requires: ['core-prefixes-pinned', 'trs-defined'],
  check: (doc) =>
    doc.members
      .filter((m) => !m.inContext && !m.key.startsWith('@') && trovName(doc, m.key) === 'hasCapability')
      .flatMap((m) =>
        valuesOf(m.value).flatMap((v, i) => {
          const pointer = Array.isArray(m.value) ? childPointer(m.pointer, i) : m.pointer;
          if (!isJsonObject(v) || typeof v['@id'] !== 'string') return [at(pointer, `a capability is named by reference, e.g. {"@id": "trov:CanProvideInternetIsolation"}; found ${shown(v)}`)];
          const extra = Object.keys(v).filter((k) => k !== '@id');
          if (extra.length > 0) return [at(pointer, `a capability is referred to by its term alone ({"@id": ...}), not described as a node with ${extra.join(', ')}`)];
          const id = v['@id'];
          if (id.startsWith('_:') || !hasScheme(id)) return [at(childPointer(pointer, '@id'), `the capability ${shown(id)} is not named by a term (a prefixed name or an absolute IRI)`)];
          const name = trovName(doc, id);
          return name !== undefined && !PREDEFINED_CAPABILITIES.has(name) ? [at(childPointer(pointer, '@id'), `trov:${name} is not a predefined TROV capability`)] : [];
        }),
      ),
};

export const performanceAttributeWarrantsAbsolute: Expectation = {
  id: 'performance-attribute-warrants-absolute',
  summary: 'Warrants of performance attributes are references by global IRI (the capability term, say), not document-relative ids.',
  requires: ['trs-defined'],
  check: (doc) =>
    doc.nodes
      .filter((n) => n.via !== undefined && trovName(doc, n.via) === 'hasPerformanceAttribute')
      .flatMap((n) =>
        trovMembers(doc, n, 'warrantedBy').flatMap((w) =>
          valuesOf(w.value).flatMap((v, i) => {
            const pointer = Array.isArray(w.value) ? childPointer(w.pointer, i) : w.pointer;
            const id = isJsonObject(v) ? v['@id'] : undefined;
            if (typeof id !== 'string') return [at(pointer, `a warrant is a reference {"@id": ...}, found ${shown(v)}`)];
            if (id.startsWith('_:') || !hasScheme(id)) {
              return [at(childPointer(pointer, '@id'), `the warrant ${shown(id)} is relative to the document; refer to the capability by IRI, e.g. "trov:CanProvideInternetIsolation"`)];
            }
            return [];
          }),
        ),
      ),
};

/** The TRS a TRO names in trov:wasAssembledBy: the inline node, or the top-level node its reference points to. */
export function assemblingTrs(doc: ConformanceDocument, tro: NodeSite): JsonObject | undefined {
  for (const w of trovMembers(doc, tro, 'wasAssembledBy')) {
    const v = w.value;
    if (!isJsonObject(v)) continue;
    if (hasTrovType(doc, v, 'TrustedResearchSystem')) return v;
    const id = v['@id'];
    const target = doc.topLevelNodes.find((n) => typeof id === 'string' && n.node['@id'] === id && hasTrovType(doc, n.node, 'TrustedResearchSystem'));
    if (target !== undefined) return target.node;
  }
  return undefined;
}
