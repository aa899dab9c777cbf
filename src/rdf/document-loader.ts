// The offline JSON-LD document loader: serves pinned local contexts by URL and refuses every other URL without a request.
import { InputError } from '../errors.js';
import { type JsonValue, isJsonObject } from '../json/value.js';
import type { PlainJson } from '../json/value.js';
import { pointerJoin, remoteContextRefusal } from '../tro/jsonld-view.js';

/** What jsonld.js expects a document loader to resolve to. */
export interface RemoteDocument {
  readonly contextUrl: null;
  readonly documentUrl: string;
  readonly document: PlainJson;
}

export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/**
 * Contexts pe-trace may serve without the network, keyed by URL (e.g. a pinned copy of
 * `https://w3id.org/trace/trov/0.1/context.jsonld` once TRACE publishes one). Empty today.
 */
export type PinnedContexts = ReadonlyMap<string, PlainJson>;

export const NO_PINNED_CONTEXTS: PinnedContexts = new Map();

/**
 * A loader that never touches the network: a pinned URL is served from memory, anything else is an
 * InputError JSONLD_INVALID. `label` names the document being lifted in the message.
 */
export function offlineDocumentLoader(pinned: PinnedContexts = NO_PINNED_CONTEXTS, label?: string): DocumentLoader {
  return async (url: string) => {
    const document = pinned.get(url);
    if (document === undefined) {
      throw new InputError('JSONLD_INVALID', remoteContextRefusal(url), label === undefined ? {} : { location: { file: label } });
    }
    return { contextUrl: null, documentUrl: url, document };
  };
}

/** Every context URL a document names (`"@context": "https://…"`, in arrays, `@import`), with its JSON pointer. */
export function contextUrls(doc: JsonValue): { url: string; pointer: string }[] {
  const out: { url: string; pointer: string }[] = [];
  const inContext = (v: JsonValue, pointer: string): void => {
    if (typeof v === 'string') out.push({ url: v, pointer });
    else if (Array.isArray(v)) v.forEach((item, i) => inContext(item, pointerJoin(pointer, i)));
    else if (isJsonObject(v)) {
      const imported = v['@import'];
      if (typeof imported === 'string') out.push({ url: imported, pointer: pointerJoin(pointer, '@import') });
      // Scoped contexts sit inside term definitions.
      for (const key of Object.keys(v)) {
        const def = v[key];
        if (isJsonObject(def) && def['@context'] !== undefined) inContext(def['@context'], pointerJoin(pointerJoin(pointer, key), '@context'));
      }
    }
  };
  // The path is kept as tokens and joined only where a context sits: most documents have one, at the top.
  const path: (string | number)[] = [];
  const walk = (v: JsonValue): void => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i] ?? null);
        path.pop();
      }
    } else if (isJsonObject(v)) {
      for (const key of Object.keys(v)) {
        const child = v[key] ?? null;
        if (key === '@context') inContext(child, pointerJoin(path.reduce<string>((p, t) => pointerJoin(p, t), ''), key));
        else if (typeof child === 'object' && child !== null) {
          path.push(key);
          walk(child);
          path.pop();
        }
      }
    }
  };
  walk(doc);
  return out;
}

/**
 * Refuses a document naming an unpinned context URL before jsonld.js runs, so the error carries the JSON
 * pointer of the URL and no request can ever start.
 */
export function refuseRemoteContexts(doc: JsonValue, pinned: PinnedContexts, label: string): void {
  for (const { url, pointer } of contextUrls(doc)) {
    if (!pinned.has(url)) throw new InputError('JSONLD_INVALID', remoteContextRefusal(url), { location: { file: label, pointer } });
  }
}
