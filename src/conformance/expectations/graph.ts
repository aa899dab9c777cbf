// Document shape rules: the root holds only @context and @graph, the graph is at the root and holds nodes.
import { isJsonObject } from '../../json/value.js';
import { hasTrovType, shown } from '../document.js';
import { type Expectation, at } from '../expectation.js';
import { childPointer } from '../pointer.js';
import type { Finding } from '../types.js';

export const graphAtRootOnly: Expectation = {
  id: 'graph-at-root-only',
  summary: 'Nodes never carry a @graph of their own; the single graph sits at the top.',
  check: (doc) =>
    doc.members.filter((m) => !m.inContext && m.key === '@graph' && m.owner !== doc.root).map((m) => at(m.pointer, 'a @graph inside a node; TRACE allows one graph, at the root')),
};

export const graphObjectOrArray: Expectation = {
  id: 'graph-object-or-array',
  summary: 'What the top-level @graph holds are node objects: one, or a list of them.',
  check: (doc) => {
    const root = doc.root;
    if (root === undefined || !('@graph' in root)) return [];
    const g = root['@graph'];
    if (isJsonObject(g)) return [];
    if (!Array.isArray(g)) return [at('/@graph', `the @graph must be an object or an array of objects, found ${shown(g)}`)];
    const out: Finding[] = [];
    g.forEach((e, i) => !isJsonObject(e) && out.push(at(childPointer('/@graph', i), `a @graph member must be a node object, found ${shown(e)}`)));
    return out;
  },
};

export const rootContextAndGraphOnly: Expectation = {
  id: 'root-context-and-graph-only',
  summary: 'The top of the document is an object carrying @context and @graph and nothing else.',
  check: (doc) => {
    if (doc.root === undefined) return [at('', `the document must be a JSON object, found ${shown(doc.value)}`)];
    return Object.keys(doc.root)
      .filter((k) => k !== '@context' && k !== '@graph')
      .map((k) => at(childPointer('', k), `the top level may hold only @context and @graph; move "${k}" into a node of the @graph`));
  },
};

export const contextAndNonemptyGraphPresent: Expectation = {
  id: 'context-and-nonempty-graph-present',
  summary: 'Both a (non-null) @context and a @graph with at least one node are there.',
  check: (doc) => {
    const root = doc.root;
    const out: Finding[] = [];
    if (root === undefined) return [at('', 'the document is not a JSON object, so it has no @context or @graph')];
    if (!('@context' in root) || root['@context'] === null) out.push(at('', 'the document declares no @context, so its prefixed names mean nothing'));
    const g = root['@graph'];
    if (g === undefined) out.push(at('', 'the document has no @graph'));
    else if (!isJsonObject(g) && !(Array.isArray(g) && g.length > 0)) out.push(at('/@graph', `the @graph holds no node (found ${shown(g)})`));
    return out;
  },
};

export const troTopLevelInGraph: Expectation = {
  id: 'tro-top-level-in-graph',
  summary: 'The node typed trov:TransparentResearchObject sits directly in the @graph list, not inside another node.',
  requires: ['core-prefixes-pinned'],
  check: (doc) => {
    const tros = doc.nodes.filter((n) => hasTrovType(doc, n.node, 'TransparentResearchObject'));
    const out = tros.filter((n) => !n.topLevel).map((n) => at(n.pointer, 'a TRO nested inside another node; the TRO must be a member of the root @graph'));
    const graph = doc.root?.['@graph'];
    // The spec's envelope is "@graph": [TRO], and TRACE tools read @graph[0]: a lone graph object is not a member of an array.
    if (isJsonObject(graph) && tros.some((n) => n.node === graph)) out.push(at('/@graph', 'the TRO is the @graph itself; write "@graph": [ {TRO} ]'));
    else if (!tros.some((n) => n.topLevel && Array.isArray(graph))) out.unshift(at(graph === undefined ? '' : '/@graph', 'no member of the @graph is typed trov:TransparentResearchObject'));
    return out;
  },
};

const NODE_KEYWORDS = new Set(['@context', '@graph', '@id', '@type']);

export const disallowedNodeKeywordsAbsent: Expectation = {
  id: 'disallowed-node-keywords-absent',
  summary: 'Outside the context the only keywords are @context, @graph, @id and @type (no @value, @list, @language, @reverse, @included, @nest …).',
  check: (doc) =>
    doc.members
      .filter((m) => !m.inContext && m.key.startsWith('@') && !NODE_KEYWORDS.has(m.key))
      .map((m) => at(m.pointer, `${m.key} is not allowed in a TRACE document (only @context, @graph, @id and @type are)`)),
};
