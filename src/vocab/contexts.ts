// The JSON-LD contexts pe-trace ships (vocab/*.context.jsonld) and the URLs the offline loader serves them at.
import { readAssetText } from '../assets.js';
import { PeTraceError } from '../errors.js';
import type { PinnedContexts } from '../rdf/document-loader.js';
import type { PlainJson } from '../json/value.js';

/** The dialects we ship a context for. */
export type ContextId = 'pe-0.1' | 'trov-0.1';

/**
 * Where each context is served. Both live under PolicyEngine's namespace, which pe-trace's vocabularies describe.
 * TRACE plans its own `https://w3id.org/trace/trov/0.1/context.jsonld` but has not published it; pinning our
 * copy at that URL would silently diverge the day TRACE publishes something else, so we do not.
 */
export const CONTEXT_URLS: Readonly<Record<ContextId, string>> = {
  'pe-0.1': 'https://policyengine.org/trace/0.1/context.jsonld',
  'trov-0.1': 'https://policyengine.org/trace/trov-0.1/context.jsonld',
};

/** The context file of each id, under vocab/. */
export const CONTEXT_FILES: Readonly<Record<ContextId, string>> = {
  'pe-0.1': 'pe-0.1.context.jsonld',
  'trov-0.1': 'trov-0.1.context.jsonld',
};

const cache = new Map<ContextId, PlainJson>();

/** A shipped context document (`{"@context": {...}}`), parsed once. A broken file is our packaging bug. */
export function contextDocument(id: ContextId): PlainJson {
  let doc = cache.get(id);
  if (doc === undefined) {
    const name = CONTEXT_FILES[id];
    try {
      doc = JSON.parse(readAssetText('vocab', name)) as PlainJson;
    } catch (e) {
      if (e instanceof PeTraceError) throw e;
      throw new PeTraceError('ASSET_BROKEN', `shipped asset vocab/${name} is not valid JSON`, { cause: e });
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || typeof doc['@context'] !== 'object') {
      throw new PeTraceError('ASSET_BROKEN', `shipped asset vocab/${name} has no @context object`);
    }
    cache.set(id, doc);
  }
  return doc;
}

/** The prefix map of a shipped context (term → namespace IRI). */
export function contextPrefixes(id: ContextId): Readonly<Record<string, string>> {
  const doc = contextDocument(id) as { '@context': Record<string, unknown> };
  const out: Record<string, string> = {};
  for (const [term, iri] of Object.entries(doc['@context'])) if (typeof iri === 'string') out[term] = iri;
  return out;
}

/** Both shipped contexts keyed by their URL, for `liftJsonLd({contexts})` / `offlineDocumentLoader`. */
export function pinnedContexts(): PinnedContexts {
  return new Map((Object.keys(CONTEXT_URLS) as ContextId[]).map((id) => [CONTEXT_URLS[id], contextDocument(id)]));
}
