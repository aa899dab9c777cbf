// Lifts a build TRO plan into an n3 Store of request facts (breq:) and pop: facts for queries/construct-build-tro.rq.
import type { BlankNode, NamedNode } from '@rdfjs/types';
import { DataFactory, Store } from 'n3';
import { factTerm as term, troNode as buildTroNode } from '../emit/request-graph.js';
import type { BuildTroPlan, PopValue } from './plan.js';
import { BREQ, RDF } from './vocab.js';

const { namedNode, blankNode, quad } = DataFactory;

/** A TRO node id (`tro`, `composition/1/artifact/dataset`) resolved against the construct base (shared with the pe emitter). */
export { buildTroNode };

const breq = (name: string): NamedNode => namedNode(`${BREQ}${name}`);

/**
 * The request: `breq:request` holds the TRO-level values and the TRO's pop: facts; `breq:performance` the
 * performance's pop: facts; artifacts and locations are named by their TRO ids and carry `breq:order` (emission
 * order, read by the framer) and their own pop: facts. Where each value lands is the query's decision.
 */
export function buildRequestGraph(plan: BuildTroPlan): Store {
  const store = new Store();
  const request = breq('request');
  const performance = breq('performance');
  const pop = (local: string): NamedNode => namedNode(`${plan.popNamespace}${local}`);
  const add = (s: NamedNode | BlankNode, p: NamedNode, o: string | boolean | number | NamedNode | BlankNode | undefined): void => {
    if (o !== undefined) store.addQuad(quad(s, p, term(o)));
  };
  const addPop = (s: NamedNode, facts: ReadonlyArray<readonly [string, PopValue]>): void => {
    for (const [key, value] of facts) {
      if (Array.isArray(value)) for (const item of value as readonly string[]) add(s, pop(key), item);
      else add(s, pop(key), value as string | boolean | number);
    }
  };

  add(request, namedNode(`${RDF}type`), breq('BuildTroRequest'));
  add(request, breq('troName'), plan.troName);
  add(request, breq('troDescription'), plan.troDescription);
  add(request, breq('dateCreated'), plan.dateCreated);
  const software = blankNode('software');
  add(request, breq('createdWith'), software);
  add(software, breq('softwareName'), plan.createdWith.name);
  add(software, breq('softwareVersion'), plan.createdWith.version ?? undefined);
  add(request, breq('trsName'), plan.trsName);
  add(request, breq('trsComment'), plan.trsComment);
  add(request, breq('performanceComment'), plan.performanceComment);
  add(request, breq('startedAt'), plan.startedAt);
  add(request, breq('endedAt'), plan.endedAt);
  add(request, breq('fingerprint'), plan.fingerprint);
  addPop(request, plan.troFacts);
  addPop(performance, plan.performanceFacts);

  plan.artifacts.forEach((a, order) => {
    const artifact = buildTroNode(`composition/1/artifact/${a.id}`);
    const location = buildTroNode(`arrangement/1/location/${a.id}`);
    add(request, breq('artifact'), artifact);
    add(artifact, breq('order'), order);
    add(artifact, breq('sha256'), a.sha256);
    add(artifact, breq('mimeType'), a.mimeType);
    add(artifact, breq('name'), a.name);
    if (a.restrictedInput) add(artifact, breq('extraType'), pop('RestrictedInput'));
    addPop(artifact, a.artifactFacts);
    add(location, breq('order'), order);
    add(location, breq('locates'), artifact);
    add(location, breq('where'), a.location);
    addPop(location, a.locationFacts);
  });
  return store;
}
