// The TRACE versions as data: each version's seven tiers, in order, with the expectations each tier holds (trace-trov.md §5).
import { PeTraceError } from '../errors.js';
import type { Expectation } from './expectation.js';
import { baseDeclared, baseHasPath, baseHostLowercase, baseHostOwnable, baseSimpleUrl, baseWebScheme } from './expectations/base.js';
import {
  compositeContextsAbsent,
  contextAliasesAbsent,
  contextAssignsOnlyDatatypesToProperties,
  contextAtRootOnly,
  contextContainersAbsent,
  contextDatatypesNamedByIri,
  contextIdCoercionAbsent,
  contextImportAbsent,
  contextObjectArrayOrNull,
  contextPropagateAbsent,
  contextProtectedAbsent,
  contextVocabAbsent,
  disallowedContextKeywordsAbsent,
  prefixNamespacesTerminated,
  remoteContextsAbsent,
} from './expectations/context.js';
import { contextAndNonemptyGraphPresent, disallowedNodeKeywordsAbsent, graphAtRootOnly, graphObjectOrArray, rootContextAndGraphOnly, troTopLevelInGraph } from './expectations/graph.js';
import { blankNodeIdsAbsent, idSegmentsPortable, idsAndTypesStrings, nodeIdsPresent, trovObjectsIdentified, typesPrefixedOrAbsolute } from './expectations/ids.js';
import { duplicateMemberNamesAbsent, jsonParses, numbersWithinRange, unicodeEscapesSpellWholeCharacters, utf8Encoded } from './expectations/json.js';
import {
  corePrefixesPinned,
  customTermSuperclassesExtensible,
  customTermsNotTrov,
  hashAlgorithmsPermitted,
  hashValuesCorrectForm,
  trovCapabilitiesPredefined,
  trovPerformanceAttributesPredefined,
  trovSigningMechanismsPredefined,
  trovTermsKnown,
  trovTroAttributesPredefined,
  trovVersionKnown,
} from './expectations/terms.js';
import {
  artifactHashesPresent,
  compositionHasFingerprint,
  compositionIdentifiesArtifacts,
  createdWithSingleTool,
  gpgSigningKeyPresent,
  troAssembledByTrs,
  troCompositionSingle,
} from './expectations/tro.js';
import { capabilityTermsKnown, performanceAttributeWarrantsAbsolute, trsDefined, trsIdAbsolute } from './expectations/trs.js';
import { creatorsPersonOrOrganization, mimeTypesTwoPart, timesIso8601, timesZoned, troNameDescriptionText } from './expectations/values.js';
import { KNOWN_TERMS_2026_04_19, KNOWN_TERMS_MAIN } from './terms.js';
import { TRACE_VERSIONS, type TierId, type TraceVersionId } from './types.js';

export interface TierDefinition {
  readonly id: TierId;
  /** What a document meeting this tier (and those below) is. */
  readonly description: string;
  /** When this tier is not met, nothing above it is assessed (§5: tiers 1–3). */
  readonly blocksHigherTiers: boolean;
  readonly expectations: readonly Expectation[];
}

export interface TraceVersion {
  readonly id: TraceVersionId;
  readonly description: string;
  readonly tiers: readonly TierDefinition[];
}

/** Which of the additions that came after the first release a version has. */
interface Additions {
  readonly knownTerms: ReadonlySet<string>;
  /** trace-0.1 and trace-main: zoned times, typed creators, absolute warrants. */
  readonly zonedTimesTypedCreatorsAbsoluteWarrants: boolean;
  /** trace-0.1: capabilities referred to as terms. */
  readonly capabilityTerms: boolean;
  /** trace-main: the TRS named by an absolute IRI. */
  readonly absoluteTrsId: boolean;
}

function tiers(a: Additions): TierDefinition[] {
  const later = a.zonedTimesTypedCreatorsAbsoluteWarrants;
  return [
    {
      id: 'SAFE-JSON',
      description: 'plain JSON with one unambiguous reading',
      blocksHigherTiers: true,
      expectations: [utf8Encoded, jsonParses, unicodeEscapesSpellWholeCharacters, duplicateMemberNamesAbsent, numbersWithinRange],
    },
    {
      id: 'SAFE-JSON-LD',
      description: 'self-contained JSON-LD that avoids the features processors treat differently',
      blocksHigherTiers: true,
      expectations: [
        contextAtRootOnly,
        remoteContextsAbsent,
        contextObjectArrayOrNull,
        contextContainersAbsent,
        contextVocabAbsent,
        contextProtectedAbsent,
        contextPropagateAbsent,
        contextImportAbsent,
        contextIdCoercionAbsent,
        graphAtRootOnly,
        graphObjectOrArray,
        idsAndTypesStrings,
        idSegmentsPortable,
      ],
    },
    {
      id: 'TRACE-PERMISSIBLE-JSON-LD',
      description: "JSON-LD kept to TRACE's small profile: prefixes, datatypes, @id and @type",
      blocksHigherTiers: true,
      expectations: [
        rootContextAndGraphOnly,
        compositeContextsAbsent,
        disallowedNodeKeywordsAbsent,
        disallowedContextKeywordsAbsent,
        baseWebScheme,
        baseSimpleUrl,
        prefixNamespacesTerminated,
        contextAliasesAbsent,
        contextAssignsOnlyDatatypesToProperties,
        contextDatatypesNamedByIri,
        typesPrefixedOrAbsolute,
      ],
    },
    {
      id: 'USES-TROV-CORRECTLY',
      description: 'TROV names spelled, typed and valued as the vocabulary intends',
      blocksHigherTiers: false,
      expectations: [
        contextAndNonemptyGraphPresent,
        corePrefixesPinned,
        trovTermsKnown(a.knownTerms),
        trovVersionKnown,
        hashAlgorithmsPermitted,
        hashValuesCorrectForm,
        mimeTypesTwoPart,
        timesIso8601,
        ...(later ? [timesZoned] : []),
        troNameDescriptionText,
        ...(later ? [creatorsPersonOrOrganization] : []),
        trovCapabilitiesPredefined,
        trovPerformanceAttributesPredefined,
        trovTroAttributesPredefined,
        customTermsNotTrov,
        customTermSuperclassesExtensible,
        trovSigningMechanismsPredefined,
      ],
    },
    {
      id: 'DEFINES-TRS',
      description: 'the system that produced the TRO is described in it',
      blocksHigherTiers: false,
      expectations: [trsDefined, ...(a.absoluteTrsId ? [trsIdAbsolute] : []), ...(a.capabilityTerms ? [capabilityTermsKnown] : [])],
    },
    {
      id: 'STANDALONE-TRO',
      description: 'a complete TRO tree: TRS, one fingerprinted composition of hashed artifacts',
      blocksHigherTiers: false,
      expectations: [
        troTopLevelInGraph,
        trovObjectsIdentified,
        troAssembledByTrs,
        ...(later ? [performanceAttributeWarrantsAbsolute] : []),
        troCompositionSingle,
        compositionHasFingerprint,
        compositionIdentifiesArtifacts,
        artifactHashesPresent,
        createdWithSingleTool,
        gpgSigningKeyPresent,
      ],
    },
    {
      id: 'LINKABLE-TRO',
      description: 'every node named by an IRI that is unique to this TRO',
      blocksHigherTiers: false,
      expectations: [baseDeclared, baseHasPath, baseHostLowercase, baseHostOwnable, nodeIdsPresent, blankNodeIdsAbsent],
    },
  ];
}

/**
 * The three TRACE versions tro-checks knows (§1.1, §5). trace-0.1 and trace-main add zoned times, typed
 * creators and absolute warrants; trace-0.1 adds capabilities named as terms, trace-main an absolute TRS
 * @id and a known-term list without the pre-release TRS properties. trace-0.1's tier list also names
 * trs-id-absolute, but that version ships no check for it and its published outcomes never report it
 * (§5 table: candidate 03 fails only capability-terms-known and the warrants), so it is left out here.
 */
export const TRACE_VERSION_DEFINITIONS: ReadonlyMap<TraceVersionId, TraceVersion> = new Map<TraceVersionId, TraceVersion>([
  [
    'trace-2026-04-19',
    {
      id: 'trace-2026-04-19',
      description: 'TRACE as tagged on 2026-04-19 (trace-spec-2026-04-19), its first release',
      tiers: tiers({ knownTerms: KNOWN_TERMS_2026_04_19, zonedTimesTypedCreatorsAbsoluteWarrants: false, capabilityTerms: false, absoluteTrsId: false }),
    },
  ],
  [
    'trace-0.1',
    {
      id: 'trace-0.1',
      description: 'TRACE 0.1 as drafted, unreleased',
      tiers: tiers({ knownTerms: KNOWN_TERMS_2026_04_19, zonedTimesTypedCreatorsAbsoluteWarrants: true, capabilityTerms: true, absoluteTrsId: false }),
    },
  ],
  [
    'trace-main',
    {
      id: 'trace-main',
      description: "TRACE's development head",
      tiers: tiers({ knownTerms: KNOWN_TERMS_MAIN, zonedTimesTypedCreatorsAbsoluteWarrants: true, capabilityTerms: false, absoluteTrsId: true }),
    },
  ],
]);

/** The version assessed when none is named: the only released one, so verdicts do not move under a user's feet. */
export const DEFAULT_TRACE_VERSION: TraceVersionId = 'trace-2026-04-19';

export function traceVersion(id: TraceVersionId): TraceVersion {
  const v = TRACE_VERSION_DEFINITIONS.get(id);
  if (v === undefined) throw new PeTraceError('USAGE', `unknown TRACE version ${JSON.stringify(id)}; expected one of ${TRACE_VERSIONS.join(', ')}`);
  return v;
}
