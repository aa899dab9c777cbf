// The integrity checks SHACL Core cannot express, done in code and reported as results of pe-trace's own components.
import type { Quad, Term } from '@rdfjs/types';
import { DataFactory } from 'n3';
import type { FingerprintAlgorithm, TroModel } from '../tro/model.js';
import { checkFingerprint } from '../verify/check-fingerprint.js';
import type { DataIndex } from './data-index.js';
import {
  PTC_FINGERPRINT,
  PTC_FINGERPRINT_CHECK,
  PTC_LOCATION_CHECK,
  PTC_LOCATION_IN_COMPOSITION,
  PTC_REFERENCE_CHECK,
  PTC_REFERENCE_DEFINED,
  PTC_WARRANT_CHAIN,
  PTC_WARRANT_CHECK,
  RDF_TYPE,
  termKey,
} from './namespaces.js';
import { type ShaclPath, type ShaclValidationResult, predicatePath } from './report.js';

export interface IntegrityInput {
  /** The lifted quads of one document and their index. */
  readonly quads: readonly Quad[];
  readonly index: DataIndex;
  /** The trov namespace the document uses (0.1 or 2023/05). */
  readonly trovNamespace: string;
  /** IRIs under this prefix are the document's own `@id`s (its own @base, else the base pe-trace gave it). */
  readonly documentBase: string;
  /** The document read as a TRO (absent when it could not be: then the fingerprint is not recomputed). */
  readonly model?: TroModel;
  /** The fingerprint rules the document may follow (see `fingerprintRules`); default: its dialect's. */
  readonly fingerprintRules?: readonly FingerprintAlgorithm[];
  /** Names terms in messages the way the document writes them. */
  readonly name: (t: Term) => string;
}

/** Runs the four checks: fingerprint, references, locations in the composition, warrant chain. */
export async function integrityChecks(input: IntegrityInput): Promise<ShaclValidationResult[]> {
  return [...(await fingerprintCheck(input)), ...referenceCheck(input), ...locationCheck(input), ...warrantCheck(input)];
}

function result(focus: Term, component: string, shape: string, message: string, path?: ShaclPath, value?: Term): ShaclValidationResult {
  return {
    focusNode: focus,
    ...(path === undefined ? {} : { resultPath: path }),
    ...(value === undefined ? {} : { value }),
    severity: 'Violation',
    sourceConstraintComponent: component,
    sourceShape: DataFactory.namedNode(shape),
    messages: [message],
  };
}

/** The composition(s) of the TRO node(s) of the document. */
function compositions(input: IntegrityInput): Term[] {
  const { index, trovNamespace: T } = input;
  const tros = index.subjectsWith(`${T}hasComposition`);
  return tros.flatMap((t) => index.objects(t, `${T}hasComposition`));
}

const RULE_TEXT: Readonly<Record<FingerprintAlgorithm, string>> = {
  'sha256-newline': 'joined with newlines (the pe-0.1 rule of policyengine.py, populace and us-data)',
  'sha256-concat': 'concatenated without a separator (the TROv rule of the specification and tro-utils)',
};

/**
 * Fingerprint recomputed with each allowed rule (`checkFingerprint`, the same code `verify` uses); a result when
 * the claimed value matches none. When it matches a rule that is not allowed, the message says which.
 */
async function fingerprintCheck(input: IntegrityInput): Promise<ShaclValidationResult[]> {
  const { model, index, trovNamespace: T } = input;
  if (model === undefined || model.fingerprint === undefined) return [];
  const allowed = input.fingerprintRules ?? [model.dialect.fingerprintAlgorithm];
  const withRule = (rule: FingerprintAlgorithm): TroModel => ({ ...model, dialect: { ...model.dialect, fingerprintAlgorithm: rule } });
  const checks = await Promise.all(allowed.map(async (rule) => (await checkFingerprint(withRule(rule))).report));
  if (checks.some((c) => c.status === 'ok')) return [];
  const first = checks[0];
  if (first === undefined || first.claimed === null) return [];
  const composition = compositions(input)[0];
  const fingerprintNode = composition === undefined ? undefined : index.objects(composition, `${T}hasFingerprint`)[0];
  const focus = fingerprintNode ?? composition;
  if (focus === undefined) return [];
  const objectForm = model.fingerprint.spelling === 'trov:hash';
  const path: ShaclPath = objectForm
    ? { kind: 'sequence', items: [predicatePath(`${T}hash`), predicatePath(`${T}hashValue`)] }
    : predicatePath(`${T}sha256`);
  const hash = first.hashAlgorithm ?? 'sha256';
  const computed = checks.map((c) => `${RULE_TEXT[c.algorithm]}, is ${c.computed}`).join('; or, ');
  const others = (['sha256-newline', 'sha256-concat'] as const).filter((r) => !allowed.includes(r));
  const other = others.length === 0 ? undefined : (await checkFingerprint(withRule(others[0] as FingerprintAlgorithm))).report;
  const note = other?.status === 'ok' ? ` — the claimed value follows the other rule: hash values ${RULE_TEXT[other.algorithm]}` : '';
  return [
    result(
      focus,
      PTC_FINGERPRINT,
      PTC_FINGERPRINT_CHECK,
      `the composition fingerprint does not match its artifacts: ${hash} over their hash values, sorted and ${computed}${note}`,
      path,
      DataFactory.literal(first.claimed),
    ),
  ];
}

/** Every reference to a document-local @id is defined in the document (a node with at least one property). */
function referenceCheck(input: IntegrityInput): ShaclValidationResult[] {
  const { quads, index, documentBase, name } = input;
  const out: ShaclValidationResult[] = [];
  const seen = new Set<string>();
  for (const q of quads) {
    const o = q.object;
    if (o.termType !== 'NamedNode' || q.predicate.value === RDF_TYPE || !o.value.startsWith(documentBase) || index.isSubject(o)) continue;
    const key = `${termKey(q.subject)} ${q.predicate.value} ${o.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(
      result(q.subject, PTC_REFERENCE_DEFINED, PTC_REFERENCE_CHECK, `refers to ${name(o)}, which the document does not define (no node with that @id)`, predicatePath(q.predicate.value), o),
    );
  }
  return out;
}

/** Every artifact an arrangement places is one of the composition's artifacts. */
function locationCheck(input: IntegrityInput): ShaclValidationResult[] {
  const { index, trovNamespace: T, name } = input;
  const comps = compositions(input);
  if (comps.length === 0) return [];
  const inComposition = new Set(comps.flatMap((c) => index.objects(c, `${T}hasArtifact`)).map(termKey));
  const locations = new Map<string, Term>();
  for (const p of [`${T}hasArtifactLocation`, `${T}hasLocus`]) for (const l of index.objectsOf(p)) locations.set(termKey(l), l);
  for (const cls of [`${T}ArtifactLocation`, `${T}ArtifactLocus`]) for (const l of index.instancesOf(DataFactory.namedNode(cls))) locations.set(termKey(l), l);
  const out: ShaclValidationResult[] = [];
  const compositionName = comps.map(name).join(', ');
  for (const location of locations.values()) {
    for (const p of [`${T}artifact`, `${T}hasArtifact`]) {
      for (const artifact of index.objects(location, p)) {
        if (inComposition.has(termKey(artifact))) continue;
        out.push(
          result(
            location,
            PTC_LOCATION_IN_COMPOSITION,
            PTC_LOCATION_CHECK,
            `places ${name(artifact)}, which is not an artifact of the composition ${compositionName}`,
            predicatePath(p),
            artifact,
          ),
        );
      }
    }
  }
  return out;
}

/** Which capabilities may warrant each predefined TRP attribute (CanEnforceInternetIsolation is the spec's duplicate). */
const WARRANTS: Readonly<Record<string, readonly string[]>> = {
  InternetIsolation: ['CanProvideInternetIsolation', 'CanEnforceInternetIsolation'],
  InternetAccessRecording: ['CanRecordInternetAccess'],
};

/** trov:warrantedBy resolves and is typed: TRP attribute → TRS capability; TRO attribute → TRP attribute. */
function warrantCheck(input: IntegrityInput): ShaclValidationResult[] {
  const { index, trovNamespace: T, name } = input;
  const capabilities = new Set(index.objectsOf(`${T}hasCapability`).map(termKey));
  const trpAttributes = [...index.objectsOf(`${T}hasPerformanceAttribute`), ...index.objectsOf(`${T}hadPerformanceAttribute`)];
  const trpKeys = new Set(trpAttributes.map(termKey));
  const troAttributes = index.objectsOf(`${T}hasAttribute`);
  const warranted = `${T}warrantedBy`;
  const out: ShaclValidationResult[] = [];
  const fail = (focus: Term, value: Term, message: string): void => {
    out.push(result(focus, PTC_WARRANT_CHAIN, PTC_WARRANT_CHECK, message, predicatePath(warranted), value));
  };
  const kindOf = (t: Term): string => {
    const types = index.objects(t, RDF_TYPE).map(name);
    if (types.length > 0) return `a ${types.join(', ')}`;
    if (index.isSubject(t)) return 'a node without a type';
    return 'not defined in the document';
  };
  /** The capability terms a warrant stands for: its own IRI (trace-0.1's term style) and its types. */
  const capabilityTerms = (t: Term): string[] =>
    [t, ...index.objects(t, RDF_TYPE)].filter((x) => x.termType === 'NamedNode' && x.value.startsWith(T)).map((x) => x.value.slice(T.length));

  for (const attribute of trpAttributes) {
    for (const w of index.objects(attribute, warranted)) {
      if (!capabilities.has(termKey(w))) {
        fail(
          attribute,
          w,
          index.isSubject(w) || w.value.startsWith(T)
            ? `a performance attribute must be warranted by a capability the system declares (trov:hasCapability); ${name(w)} is ${kindOf(w)}, not one of them`
            : `trov:warrantedBy does not resolve: no capability ${name(w)} is declared by the system (trov:hasCapability)`,
        );
        continue;
      }
      const types = index.objects(attribute, RDF_TYPE).filter((t) => t.value.startsWith(T)).map((t) => t.value.slice(T.length));
      for (const type of types) {
        const allowed = WARRANTS[type];
        if (allowed === undefined) continue;
        const have = capabilityTerms(w);
        if (!allowed.some((a) => have.includes(a))) {
          fail(attribute, w, `trov:${type} must be warranted by a trov:${allowed.join(' or trov:')} capability; ${name(w)} is ${kindOf(w)}`);
        }
      }
    }
  }
  for (const attribute of troAttributes) {
    for (const w of index.objects(attribute, warranted)) {
      if (trpKeys.has(termKey(w))) continue;
      fail(
        attribute,
        w,
        index.isSubject(w)
          ? `a TRO attribute must be warranted by a performance attribute (trov:hasPerformanceAttribute); ${name(w)} is ${kindOf(w)}`
          : `trov:warrantedBy does not resolve: no performance attribute ${name(w)} is defined in the document`,
      );
    }
  }
  return out;
}
