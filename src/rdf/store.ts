// The n3 Store that holds lifted documents, one named graph per document.
import { Store } from 'n3';
import type { LiftedDocument } from './lift.js';

export function createStore(): Store {
  return new Store();
}

/** Adds a lifted document's quads; returns how many were new (identical quads are stored once). */
export function addLifted(store: Store, lifted: LiftedDocument): number {
  const before = store.size;
  store.addQuads([...lifted.quads]);
  return store.size - before;
}
