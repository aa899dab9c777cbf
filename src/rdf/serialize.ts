// Writes quads as N-Quads, or as Turtle (one graph) / TriG (several graphs), with n3's Writer.
import { type Quad, Writer } from 'n3';
import { PeTraceError } from '../errors.js';

/** N-Quads, one quad per line in the order given. The format must be named: n3's Writer defaults to Turtle shorthand. */
export function toNQuads(quads: Iterable<Quad>): string {
  return new Writer({ format: 'N-Quads' }).quadsToString([...quads]);
}

/**
 * Turtle when the quads sit in at most one graph (the graph name is then dropped: Turtle has no graphs),
 * TriG when they span several graphs, so no graph name is lost where it distinguishes documents.
 */
export function toTurtle(quads: Iterable<Quad>, prefixes: Readonly<Record<string, string>> = {}): string {
  const list = [...quads];
  const graphs = new Set(list.map((q) => `${q.graph.termType}:${q.graph.value}`));
  const trig = graphs.size > 1;
  const writer = new Writer({ format: trig ? 'application/trig' : 'text/turtle', prefixes: { ...prefixes } });
  for (const q of list) {
    if (trig) writer.addQuad(q);
    else writer.addQuad(q.subject, q.predicate, q.object);
  }
  let out: string | undefined;
  let failure: unknown;
  // With no output stream n3's Writer finishes synchronously; the guard below makes that assumption explicit.
  writer.end((error, result: string) => {
    failure = error;
    out = result;
  });
  if (failure !== null && failure !== undefined) throw new PeTraceError('INTERNAL', `Turtle writer failed: ${String(failure)}`);
  if (out === undefined) throw new PeTraceError('INTERNAL', 'Turtle writer did not finish synchronously');
  return out;
}
