// Turtle parsing with located errors, and RDF-canonical N-Quads (stable blank node labels) for isomorphism checks and deterministic output.
import { createRequire } from 'node:module';
import { DataFactory, Parser, type Quad, Writer } from 'n3';
import { InputError } from '../errors.js';

const { quad, defaultGraph } = DataFactory;

export interface ParsedTurtle {
  readonly quads: Quad[];
  /** The `@prefix` declarations, in file order. */
  readonly prefixes: Readonly<Record<string, string>>;
}

/** Parses Turtle; a syntax error is an InputError RDF_PARSE located `label:line`. */
export function parseTurtle(text: string, label: string): ParsedTurtle {
  const prefixes: Record<string, string> = {};
  let quads: Quad[];
  try {
    quads = new Parser({ format: 'text/turtle' }).parse(text, null, (prefix, iri) => {
      prefixes[prefix] = typeof iri === 'string' ? iri : iri.value;
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const line = /on line (\d+)/.exec(message)?.[1];
    throw new InputError('RDF_PARSE', `Turtle does not parse: ${message.replace(/\s+/g, ' ')}`, {
      location: { file: label, ...(line === undefined ? {} : { line: Number(line) }) },
      cause: e,
    });
  }
  return { quads: quads.map((q) => quad(q.subject, q.predicate, q.object, defaultGraph())), prefixes };
}

/** rdf-canonize ships no types: the slice we use. */
interface Canonizer {
  canonize(input: string, options: { algorithm: 'RDFC-1.0'; inputFormat: 'application/n-quads'; format: 'application/n-quads' }): Promise<string>;
}

let canonizer: Canonizer | undefined;

function loadCanonizer(): Canonizer {
  canonizer ??= createRequire(import.meta.url)('rdf-canonize') as Canonizer;
  return canonizer;
}

/**
 * The RDF Dataset Canonicalization (RDFC-1.0) of the quads as sorted N-Quads: two graphs are isomorphic exactly
 * when their canonical forms are equal, and blank nodes get labels (`_:c14n0`, …) that depend on content only.
 */
export async function canonicalNQuads(quads: readonly Quad[]): Promise<string> {
  const text = new Writer({ format: 'N-Quads' }).quadsToString([...quads]);
  return loadCanonizer().canonize(text, { algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', format: 'application/n-quads' });
}

/** The quads relabelled canonically (blank nodes `_:c14n<n>`), so any writer over them is deterministic. */
export async function canonicalQuads(quads: readonly Quad[]): Promise<Quad[]> {
  const text = await canonicalNQuads(quads);
  return new Parser({ format: 'N-Quads', blankNodePrefix: '' }).parse(text);
}

export async function isomorphic(a: readonly Quad[], b: readonly Quad[]): Promise<boolean> {
  return (await canonicalNQuads(a)) === (await canonicalNQuads(b));
}
