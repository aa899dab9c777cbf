// Context rules: one inline context at the root, prefixes and datatypes only, none of the JSON-LD features processors disagree on.
import { isJsonObject } from '../../json/value.js';
import { hasScheme, shown } from '../document.js';
import type { ConformanceDocument, MemberSite } from '../document.js';
import { type Expectation, at } from '../expectation.js';
import { childPointer } from '../pointer.js';
import type { Finding } from '../types.js';

/** Members inside any context whose key is `keyword`, each reported with `message`. */
function contextKeyword(doc: ConformanceDocument, keyword: string, message: (m: MemberSite) => string): Finding[] {
  return doc.members.filter((m) => m.inContext && m.key === keyword).map((m) => at(m.pointer, message(m)));
}

/** The term definitions of the root context: every non-keyword member of its objects. */
function terms(doc: ConformanceDocument): { term: string; value: MemberSite['value']; pointer: string }[] {
  const out: { term: string; value: MemberSite['value']; pointer: string }[] = [];
  for (const c of doc.contextObjects) {
    for (const [term, value] of Object.entries(c.object)) if (!term.startsWith('@')) out.push({ term, value, pointer: childPointer(c.pointer, term) });
  }
  return out;
}

export const contextAtRootOnly: Expectation = {
  id: 'context-at-root-only',
  summary: 'Exactly one place sets a context, the top of the document: nodes and term definitions bring none of their own.',
  check: (doc) =>
    doc.contexts
      .filter((m) => m !== doc.rootContext)
      .map((m) =>
        at(m.pointer, m.inContext ? 'a scoped context inside a term definition; TRACE allows only the one context at the root' : 'a @context inside a node; TRACE allows only the one context at the root'),
      ),
};

export const remoteContextsAbsent: Expectation = {
  id: 'remote-contexts-absent',
  summary: 'No context is referred to by address: the meaning of the document depends on nothing outside it.',
  check: (doc) => {
    const out: Finding[] = [];
    for (const c of doc.contexts) {
      if (typeof c.value === 'string') out.push(at(c.pointer, `the context is fetched from ${shown(c.value)}; write it inline instead`));
      else if (Array.isArray(c.value)) {
        c.value.forEach((e, i) => typeof e === 'string' && out.push(at(childPointer(c.pointer, i), `part of the context is fetched from ${shown(e)}; write it inline instead`)));
      }
    }
    return out;
  },
};

export const contextObjectArrayOrNull: Expectation = {
  id: 'context-object-array-or-null',
  summary: 'A root @context is written inline: null, one object, or a list whose entries are objects (or null).',
  requires: ['remote-contexts-absent'],
  check: (doc) => {
    const c = doc.rootContext;
    if (c === undefined || c.value === null || isJsonObject(c.value)) return [];
    if (Array.isArray(c.value)) {
      const out: Finding[] = [];
      // null resets the active context, which every processor does alike.
      c.value.forEach((e, i) => e !== null && !isJsonObject(e) && out.push(at(childPointer(c.pointer, i), `a context entry must be an object (or null), found ${shown(e)}`)));
      return out;
    }
    return [at(c.pointer, `the @context must be an object, an array of objects or null, found ${shown(c.value)}`)];
  },
};

export const contextContainersAbsent: Expectation = {
  id: 'context-containers-absent',
  summary: 'No term definition uses @container (not even @set).',
  check: (doc) => contextKeyword(doc, '@container', (m) => `@container ${shown(m.value)} changes how arrays are read; TRACE documents use plain arrays`),
};

export const contextVocabAbsent: Expectation = {
  id: 'context-vocab-absent',
  summary: 'The context does not use @vocab, so an unprefixed name is never silently turned into a term.',
  check: (doc) => contextKeyword(doc, '@vocab', () => '@vocab makes unprefixed names into terms of a vocabulary; use prefixed names instead'),
};

export const contextProtectedAbsent: Expectation = {
  id: 'context-protected-absent',
  summary: 'The context does not use @protected.',
  check: (doc) => contextKeyword(doc, '@protected', () => '@protected is not allowed in a TRACE context'),
};

export const contextPropagateAbsent: Expectation = {
  id: 'context-propagate-absent',
  summary: 'The context does not use @propagate.',
  check: (doc) => contextKeyword(doc, '@propagate', () => '@propagate is not allowed in a TRACE context'),
};

export const contextImportAbsent: Expectation = {
  id: 'context-import-absent',
  summary: 'The context does not use @import to pull in another context.',
  check: (doc) => contextKeyword(doc, '@import', (m) => `@import pulls in ${shown(m.value)} from elsewhere; write the terms inline`),
};

export const contextIdCoercionAbsent: Expectation = {
  id: 'context-id-coercion-absent',
  summary: 'No term definition coerces string values to identifiers ("@type": "@id").',
  check: (doc) =>
    doc.members
      .filter((m) => m.inContext && m.key === '@type' && m.value === '@id')
      .map((m) => at(m.pointer, 'a "@type": "@id" term definition turns plain strings into identifiers; write {"@id": ...} where an identifier is meant')),
};

export const compositeContextsAbsent: Expectation = {
  id: 'composite-contexts-absent',
  summary: 'The context comes in one piece: a single object, or a list with no more than one entry.',
  check: (doc) => {
    const c = doc.rootContext;
    if (c === undefined || !Array.isArray(c.value) || c.value.length <= 1) return [];
    return [at(c.pointer, `the context is composed of ${c.value.length} parts; merge them into one object`)];
  },
};

export const disallowedContextKeywordsAbsent: Expectation = {
  id: 'disallowed-context-keywords-absent',
  summary: 'Besides prefixes and term definitions, the context sets nothing but @base.',
  check: (doc) => {
    const out: Finding[] = [];
    for (const c of doc.contextObjects) {
      for (const key of Object.keys(c.object)) if (key.startsWith('@') && key !== '@base') out.push(at(childPointer(c.pointer, key), `${key} is not allowed in a TRACE context (only @base is)`));
    }
    return out;
  },
};

export const prefixNamespacesTerminated: Expectation = {
  id: 'prefix-namespaces-terminated',
  summary: "Each prefix stands for a namespace: a full IRI whose last character is '#' or '/'.",
  check: (doc) => {
    const out: Finding[] = [];
    for (const t of terms(doc)) {
      if (typeof t.value !== 'string') continue;
      if (t.value.startsWith('@')) out.push(at(t.pointer, `"${t.term}" maps to the keyword ${t.value} (a keyword alias); a TRACE context maps prefixes to namespaces only`));
      else if (!hasScheme(t.value) || t.value.startsWith('_:')) out.push(at(t.pointer, `prefix "${t.term}" maps to ${shown(t.value)}, which is not an absolute IRI`));
      else if (!t.value.endsWith('#') && !t.value.endsWith('/')) out.push(at(t.pointer, `prefix "${t.term}" maps to ${shown(t.value)}, which does not end in '#' or '/'`));
    }
    return out;
  },
};

export const contextAliasesAbsent: Expectation = {
  id: 'context-aliases-absent',
  summary: 'No term definition carries @id, so no term is an alias for another name.',
  check: (doc) => {
    const out: Finding[] = [];
    for (const t of terms(doc)) {
      if (isJsonObject(t.value) && '@id' in t.value) out.push(at(childPointer(t.pointer, '@id'), `"${t.term}" is an alias of ${shown(t.value['@id'])}; write that name itself`));
    }
    return out;
  },
};

export const contextAssignsOnlyDatatypesToProperties: Expectation = {
  id: 'context-assigns-only-datatypes-to-properties',
  summary: 'A term definition gives a property a datatype (@type) and nothing else.',
  requires: ['context-aliases-absent'],
  check: (doc) => {
    const out: Finding[] = [];
    for (const t of terms(doc)) {
      // A string is a prefix (judged by prefix-namespaces-terminated); null undefines a term, which assigns nothing.
      if (typeof t.value === 'string' || t.value === null) continue;
      if (!isJsonObject(t.value)) {
        out.push(at(t.pointer, `"${t.term}" is defined as ${shown(t.value)}; a term is a prefix (a string) or a datatype definition (an object)`));
        continue;
      }
      for (const key of Object.keys(t.value)) if (key !== '@type') out.push(at(childPointer(t.pointer, key), `the definition of "${t.term}" sets ${key}; only @type may be set`));
    }
    return out;
  },
};

export const contextDatatypesNamedByIri: Expectation = {
  id: 'context-datatypes-named-by-iri',
  summary: 'Datatypes given in term definitions are IRIs (compact or full), never keywords such as @id or @json.',
  check: (doc) => {
    const out: Finding[] = [];
    for (const t of terms(doc)) {
      if (!isJsonObject(t.value) || !('@type' in t.value)) continue;
      const v = t.value['@type'];
      if (typeof v !== 'string' || v.startsWith('@') || v.indexOf(':') <= 0) {
        out.push(at(childPointer(t.pointer, '@type'), `the datatype of "${t.term}" is ${shown(v)}; name it by IRI, e.g. "xsd:dateTime"`));
      }
    }
    return out;
  },
};
