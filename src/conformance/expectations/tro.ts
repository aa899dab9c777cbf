// TRO structure rules: assembled by a TRS, one composition with one fingerprint hash and hashed artifacts, one creating tool, GPG key present.
import { isJsonObject } from '../../json/value.js';
import type { JsonObject } from '../../json/value.js';
import { shown, trovMembers, trovName, valuesOf } from '../document.js';
import type { ConformanceDocument, NodeSite } from '../document.js';
import { type Expectation, at } from '../expectation.js';
import { childPointer } from '../pointer.js';
import type { Finding } from '../types.js';
import { troNodes } from './terms.js';
import { assemblingTrs } from './trs.js';

/** The top-level TRO nodes (tro-top-level-in-graph guarantees at least one when these rules run). */
function topTros(doc: ConformanceDocument): NodeSite[] {
  return troNodes(doc).filter((n) => n.topLevel);
}

/** The compositions of the top-level TROs (each object value of trov:hasComposition). */
function compositions(doc: ConformanceDocument): { node: JsonObject; pointer: string }[] {
  return topTros(doc).flatMap((tro) =>
    trovMembers(doc, tro, 'hasComposition').flatMap((m) =>
      valuesOf(m.value).flatMap((v, i) => (isJsonObject(v) ? [{ node: v, pointer: Array.isArray(m.value) ? childPointer(m.pointer, i) : m.pointer }] : [])),
    ),
  );
}

export const troAssembledByTrs: Expectation = {
  id: 'tro-assembled-by-trs',
  summary: 'trov:wasAssembledBy of the TRO leads to a trov:TrustedResearchSystem (inline, or by @id to a top-level one).',
  requires: ['tro-top-level-in-graph'],
  check: (doc) =>
    topTros(doc).flatMap((tro) => {
      const found = trovMembers(doc, tro, 'wasAssembledBy');
      if (found.length === 0) return [at(tro.pointer, 'the TRO has no trov:wasAssembledBy')];
      const w = found[0];
      if (w === undefined) return [];
      if (!isJsonObject(w.value)) return [at(w.pointer, `trov:wasAssembledBy must be one TRS node, found ${shown(w.value)}`)];
      return assemblingTrs(doc, tro) === undefined ? [at(w.pointer, 'the assembling system is not typed trov:TrustedResearchSystem')] : [];
    }),
};

export const troCompositionSingle: Expectation = {
  id: 'tro-composition-single',
  summary: 'A TRO has a single composition, written as an object rather than a list.',
  check: (doc) =>
    doc.members
      .filter((m) => !m.inContext && !m.key.startsWith('@') && trovName(doc, m.key) === 'hasComposition' && !isJsonObject(m.value))
      .map((m) => at(m.pointer, `trov:hasComposition must be one composition object, found ${shown(m.value)}`)),
};

/** Exactly one object under TROV property `name` of `node`, or why not. */
function single(doc: ConformanceDocument, site: { node: JsonObject; pointer: string }, name: string, what: string): { node: JsonObject; pointer: string } | Finding {
  const found = trovMembers(doc, site, name);
  const m = found[0];
  if (m === undefined) return at(site.pointer, `${what} has no trov:${name}`);
  if (!isJsonObject(m.value)) return at(m.pointer, `trov:${name} must be one object, found ${shown(m.value)}`);
  return { node: m.value, pointer: m.pointer };
}

function isFinding(x: { node: JsonObject; pointer: string } | Finding): x is Finding {
  return 'message' in x;
}

export const compositionHasFingerprint: Expectation = {
  id: 'composition-has-fingerprint',
  summary: "The TRO's composition carries one fingerprint object, which carries one hash object.",
  requires: ['tro-top-level-in-graph'],
  check: (doc) =>
    compositions(doc).flatMap((c) => {
      const fp = single(doc, c, 'hasFingerprint', 'the composition');
      if (isFinding(fp)) return [fp];
      const hash = single(doc, fp, 'hash', 'the fingerprint');
      return isFinding(hash) ? [hash] : [];
    }),
};

export const compositionIdentifiesArtifacts: Expectation = {
  id: 'composition-identifies-artifacts',
  summary: 'The composition\'s trov:hasArtifact is a non-empty list of artifact objects.',
  requires: ['tro-top-level-in-graph'],
  check: (doc) =>
    compositions(doc).flatMap((c) => {
      const found = trovMembers(doc, c, 'hasArtifact');
      const m = found[0];
      if (m === undefined) return [at(c.pointer, 'the composition has no trov:hasArtifact')];
      if (!Array.isArray(m.value) || m.value.length === 0) return [at(m.pointer, `trov:hasArtifact must be a non-empty array of artifacts, found ${shown(m.value)}`)];
      const out: Finding[] = [];
      m.value.forEach((a, i) => !isJsonObject(a) && out.push(at(childPointer(m.pointer, i), `an artifact must be an object, found ${shown(a)}`)));
      return out;
    }),
};

export const artifactHashesPresent: Expectation = {
  id: 'artifact-hashes-present',
  summary: 'Every artifact of the composition carries trov:hash: a hash object or a non-empty array of them.',
  requires: ['tro-top-level-in-graph'],
  check: (doc) =>
    compositions(doc).flatMap((c) =>
      trovMembers(doc, c, 'hasArtifact').flatMap((m) =>
        valuesOf(m.value).flatMap((a, i) => {
          if (!isJsonObject(a)) return [];
          const pointer = Array.isArray(m.value) ? childPointer(m.pointer, i) : m.pointer;
          const hashes = trovMembers(doc, { node: a, pointer }, 'hash');
          const h = hashes[0];
          if (h === undefined) return [at(pointer, 'this artifact has no trov:hash')];
          const ok = isJsonObject(h.value) || (Array.isArray(h.value) && h.value.length > 0 && h.value.every(isJsonObject));
          return ok ? [] : [at(h.pointer, `trov:hash must be a hash object or a non-empty array of them, found ${shown(h.value)}`)];
        }),
      ),
    ),
};

export const createdWithSingleTool: Expectation = {
  id: 'created-with-single-tool',
  summary: 'trov:createdWith, if present, is one node describing the tool, not an array or a string.',
  check: (doc) =>
    doc.members
      .filter((m) => !m.inContext && !m.key.startsWith('@') && trovName(doc, m.key) === 'createdWith' && !isJsonObject(m.value))
      .map((m) => at(m.pointer, `trov:createdWith must be one node such as {"@type": "schema:SoftwareApplication", ...}, found ${shown(m.value)}`)),
};

export const gpgSigningKeyPresent: Expectation = {
  id: 'gpg-signing-key-present',
  summary: 'A TRO signed with trov:GPGSigning names a TRS that carries trov:publicKey.',
  requires: ['tro-top-level-in-graph'],
  check: (doc) =>
    topTros(doc).flatMap((tro) => {
      const gpg = trovMembers(doc, tro, 'signingMechanism').find((m) => valuesOf(m.value).some((v) => isJsonObject(v) && typeof v['@id'] === 'string' && trovName(doc, v['@id']) === 'GPGSigning'));
      if (gpg === undefined) return [];
      const trs = assemblingTrs(doc, tro);
      const key = trs === undefined ? undefined : trovMembers(doc, { node: trs, pointer: '' }, 'publicKey')[0];
      return key !== undefined && typeof key.value === 'string' && key.value !== '' ? [] : [at(gpg.pointer, 'the TRO is GPG-signed but its TRS carries no trov:publicKey to check the signature with')];
    }),
};
