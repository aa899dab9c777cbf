// Namespaces and flavours of emitted build TROs (pe-data §2.3): the pop: IRI and the labels each producer wrote.

import { CONSTRUCT_BASE, RDF, RDFS, SCHEMA, TROV, XSD } from '../emit/vocab.js';

// The W3C/TROv namespaces and the construct base are the pe emitter's: both emitters write the same TROv 0.1 terms.
export { CONSTRUCT_BASE, RDF, RDFS, SCHEMA, TROV, XSD };

/** `pop:` as PR #16 and the one shipped populace TRO wrote it. */
export const POP_POPULACE = 'https://populace.dev/trace/0.1#';
/** `pop:` in microcosm's code since the rename (2026-08-08). */
export const POP_MICROCOSM = 'https://microcosm.institute/trace/0.1#';
export const POP_ALIASES: readonly string[] = [POP_POPULACE, POP_MICROCOSM];

/**
 * The build-emission request vocabulary: facts queries/construct-build-tro.rq reads and the ordering hints the
 * framer reads. Private to pe-trace (the `.invalid` domain cannot resolve); it never reaches an emitted TRO.
 */
export const BREQ = 'https://pe-trace.invalid/build-request#';

/** Which producer's spellings a build TRO uses: populace (PR #16, the shipped file) or microcosm (after the rename). */
export type BuildFlavour = 'populace' | 'microcosm';
export const BUILD_FLAVOURS: readonly BuildFlavour[] = ['populace', 'microcosm'];

/** The constant texts of a flavour: the producer's own words, with its name in them (pe-data §2.3). */
export interface FlavourTexts {
  readonly popNamespace: string;
  readonly word: string;
  readonly troDescription: string;
  readonly trsName: string;
  readonly trsComment: string;
}

export function flavourTexts(flavour: BuildFlavour): FlavourTexts {
  const word = flavour;
  return {
    popNamespace: flavour === 'populace' ? POP_POPULACE : POP_MICROCOSM,
    word,
    troDescription:
      `TRACE TRO for a ${word} dataset build. The composition pins the build's output artifacts (calibrated dataset and weights) ` +
      'and the restricted survey inputs it consumed, by sha256, so a build can be credibly attested even where the inputs cannot be re-accessed.',
    trsName: `${word} build pipeline`,
    trsComment: `The ${word} dataset build: a typed stage plan over primary survey donors, calibrated to an administrative target surface, gated before publication.`,
  };
}

/** The `@context` of a build TRO: prefix → namespace, as the producer wrote it (no `@vocab`, no `@base`). */
export function buildContext(popNamespace: string): Readonly<Record<string, string>> {
  return { pop: popNamespace, rdf: RDF, rdfs: RDFS, schema: SCHEMA, trov: TROV };
}
