// Identifier and type rules: strings only, portable relative ids, prefixed types, every node identified, no blank nodes.
import { hasScheme, shown, trovName, typesOf } from '../document.js';
import { type Expectation, at } from '../expectation.js';
import { childPointer } from '../pointer.js';
import type { Finding } from '../types.js';

/** A segment safe on every file system and in every URL: ASCII letters and digits, with '.', '_' or '-' only inside (so never '.' or '..'). */
export const PORTABLE_SEGMENT = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** Why relative `@id` `id` is not a chain of portable segments, or undefined when it is. */
export function relativeIdProblem(id: string): string | undefined {
  if (id === '') return 'is empty';
  if (id.startsWith('/')) return "starts with '/'";
  if (id.startsWith('@')) return "starts with '@'";
  for (const ch of ['?', '#']) if (id.includes(ch)) return `contains '${ch}'`;
  const segments = id.split('/');
  if (segments.some((s) => s === '')) return id.endsWith('/') ? "ends with '/'" : "contains '//'";
  const dot = segments.find((s) => s === '.' || s === '..');
  if (dot !== undefined) return `contains the dot segment '${dot}'`;
  const bad = segments.find((s) => !PORTABLE_SEGMENT.test(s));
  return bad === undefined ? undefined : `has the segment ${JSON.stringify(bad)}, which is not a portable name`;
}

export const idsAndTypesStrings: Expectation = {
  id: 'ids-and-types-strings',
  summary: 'Identifiers are strings, and types are strings or lists of strings.',
  check: (doc) => {
    const out: Finding[] = [];
    for (const m of doc.members) {
      if (m.inContext) continue;
      if (m.key === '@id' && typeof m.value !== 'string') out.push(at(m.pointer, `@id must be a string, found ${shown(m.value)}`));
      if (m.key === '@type') {
        const ok = typeof m.value === 'string' || (Array.isArray(m.value) && m.value.every((t) => typeof t === 'string'));
        if (!ok) out.push(at(m.pointer, `@type must be a string or an array of strings, found ${shown(m.value)}`));
      }
    }
    return out;
  },
};

export const idSegmentsPortable: Expectation = {
  id: 'id-segments-portable',
  summary: 'Every relative @id is a /-separated chain of portable names (no leading /, no dot segments, no ? or #).',
  check: (doc) => {
    const out: Finding[] = [];
    for (const m of doc.members) {
      if (m.inContext || m.key !== '@id' || typeof m.value !== 'string') continue;
      if (hasScheme(m.value) || m.value.startsWith('_:')) continue;
      const problem = relativeIdProblem(m.value);
      if (problem !== undefined) out.push(at(m.pointer, `the relative @id ${shown(m.value)} ${problem}`));
    }
    return out;
  },
};

export const typesPrefixedOrAbsolute: Expectation = {
  id: 'types-prefixed-or-absolute',
  summary: 'Types are written as prefix:Name or as full IRIs; a bare word names no class without @vocab.',
  check: (doc) => {
    const out: Finding[] = [];
    for (const m of doc.members) {
      if (m.inContext || m.key !== '@type') continue;
      const types = Array.isArray(m.value) ? m.value : [m.value];
      types.forEach((t, i) => {
        if (typeof t !== 'string') return;
        const pointer = Array.isArray(m.value) ? childPointer(m.pointer, i) : m.pointer;
        if (t.startsWith('_:')) out.push(at(pointer, `the type ${shown(t)} is a blank node label, which names no class; use a prefixed name or an absolute IRI`));
        else if (t.indexOf(':') <= 0) out.push(at(pointer, `the type ${shown(t)} has no prefix; write it as prefix:Name or as an absolute IRI`));
      });
    }
    return out;
  },
};

export const trovObjectsIdentified: Expectation = {
  id: 'trov-objects-identified',
  summary: 'Nodes whose @type names a TROV class have an @id, so they can be referred to.',
  requires: ['core-prefixes-pinned'],
  check: (doc) =>
    doc.nodes
      .filter((n) => !('@id' in n.node))
      .flatMap((n) => {
        const t = typesOf(n.node).find((x) => trovName(doc, x) !== undefined);
        return t === undefined ? [] : [at(n.pointer, `this ${t} has no @id`)];
      }),
};

export const nodeIdsPresent: Expectation = {
  id: 'node-ids-present',
  summary: 'Every node object, hash objects and the createdWith tool included, carries an @id.',
  requires: ['trov-objects-identified'],
  check: (doc) =>
    doc.nodes
      .filter((n) => !('@id' in n.node))
      .map((n) => at(n.pointer, `this ${n.via === undefined || n.via === '@graph' ? 'node' : `${n.via} object`} has no @id, so it becomes a blank node that no other TRO can refer to`)),
};

export const blankNodeIdsAbsent: Expectation = {
  id: 'blank-node-ids-absent',
  summary: 'No @id is a blank node label (_:…).',
  check: (doc) =>
    doc.members
      .filter((m) => !m.inContext && m.key === '@id' && typeof m.value === 'string' && m.value.startsWith('_:'))
      .map((m) => at(m.pointer, `${shown(m.value)} is a blank node label, which names nothing outside this document`)),
};
