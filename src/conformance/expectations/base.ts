// @base rules: a plain http(s) URL with a lowercase, ownable host and a path, so relative ids become globally unique IRIs.
import type { JsonValue } from '../../json/value.js';
import type { ConformanceDocument } from '../document.js';
import { shown } from '../document.js';
import { type Expectation, at } from '../expectation.js';
import { childPointer } from '../pointer.js';
import { PORTABLE_SEGMENT } from './ids.js';

/** The parts of a URL that the base rules look at. */
export interface BaseUrlParts {
  readonly scheme: string;
  readonly userinfo: string | undefined;
  readonly host: string;
  readonly port: string | undefined;
  readonly path: string;
  readonly query: string | undefined;
  readonly fragment: string | undefined;
}

const URL_SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^@/?#]*)@)?(\[[^\]/?#]*\]|[^:/?#]*)(?::([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;

/** Splits a hierarchical URL (scheme://authority/path?query#fragment); undefined when it has no authority. */
export function splitUrl(url: string): BaseUrlParts | undefined {
  const m = URL_SHAPE.exec(url);
  if (m === null) return undefined;
  return { scheme: m[1] ?? '', userinfo: m[2], host: m[3] ?? '', port: m[4], path: m[5] ?? '', query: m[6], fragment: m[7] };
}

/** Every `@base` in the root context, with its pointer; `"@base": null` means "no base" in JSON-LD and is left out. */
function bases(doc: ConformanceDocument): { value: JsonValue; pointer: string }[] {
  return doc.contextObjects.flatMap((c) => {
    const value = c.object['@base'];
    return value === undefined || value === null ? [] : [{ value, pointer: childPointer(c.pointer, '@base') }];
  });
}

/** The declared string bases that split as URLs (the T7 rules judge only those; T3 judged the rest). */
function urlBases(doc: ConformanceDocument): { url: string; parts: BaseUrlParts; pointer: string }[] {
  return bases(doc).flatMap((b) => {
    const parts = typeof b.value === 'string' ? splitUrl(b.value) : undefined;
    return parts === undefined || typeof b.value !== 'string' ? [] : [{ url: b.value, parts, pointer: b.pointer }];
  });
}

/** A registered name as RFC 3986 writes it without percent-encoding (letters, digits, '-', '.', '_', '~'), or an IP literal. */
const SIMPLE_HOST = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])$/;
/** A DNS label someone can register: letters, digits and inner hyphens. */
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** Why `url` is not a simple base URL, or undefined. */
export function simpleUrlProblem(url: string): string | undefined {
  const p = splitUrl(url);
  if (p === undefined) return 'names no host (expected scheme://host/path/)';
  if (p.userinfo !== undefined) return 'carries user information before the host';
  if (p.host === '') return 'names no host';
  if (!SIMPLE_HOST.test(p.host)) return `has the host ${JSON.stringify(p.host)}, which is not a plain host name`;
  if (p.port !== undefined && !/^[0-9]{1,5}$/.test(p.port)) return `has the port ${JSON.stringify(p.port)}, which is not a number`;
  if (p.query !== undefined) return 'has a query (?...)';
  if (p.fragment !== undefined) return 'has a fragment (#...)';
  if (!p.path.endsWith('/')) return "does not end in '/', so the last path segment would be replaced by every relative @id";
  const segments = p.path.split('/').slice(1, -1);
  const dot = segments.find((s) => s === '.' || s === '..');
  if (dot !== undefined) return `has the dot segment '${dot}'`;
  const bad = segments.find((s) => !PORTABLE_SEGMENT.test(s));
  return bad === undefined ? undefined : `has the path segment ${JSON.stringify(bad)}, which is not a portable name`;
}

/** Reserved names (RFC 2606, RFC 6761, RFC 6762, RFC 8375, RFC 9476, ICANN .internal) nobody can own. */
const RESERVED_TLDS = new Set(['test', 'example', 'invalid', 'localhost', 'local', 'alt', 'internal']);
const RESERVED_DOMAINS = ['example.com', 'example.net', 'example.org', 'home.arpa'];

/** Why `host` is not a domain someone can own, or undefined. */
export function unownableHostProblem(host: string): string | undefined {
  const h = host.toLowerCase();
  if (h.startsWith('[') || /^[0-9.]+$/.test(h)) return `${JSON.stringify(host)} is an IP address, not a domain name`;
  if (h.endsWith('.')) return `${JSON.stringify(host)} ends with a dot, a second spelling of the same name`;
  const labels = h.split('.');
  if (labels.length < 2) return `${JSON.stringify(host)} is not a dotted domain name`;
  const bad = labels.find((l) => !LDH_LABEL.test(l));
  if (bad !== undefined) return `${JSON.stringify(host)} has the label ${JSON.stringify(bad)}, which no registry accepts`;
  const tld = labels[labels.length - 1] ?? '';
  if (!/^[a-z]/.test(tld)) return `${JSON.stringify(host)} is not under a real top-level domain`;
  if (RESERVED_TLDS.has(tld)) return `.${tld} is reserved and can never be registered`;
  const reserved = RESERVED_DOMAINS.find((d) => h === d || h.endsWith(`.${d}`));
  return reserved === undefined ? undefined : `${reserved} is reserved and can never be registered`;
}

export const baseWebScheme: Expectation = {
  id: 'base-web-scheme',
  summary: 'The @base, if any, is an https:// or http:// URL.',
  check: (doc) =>
    bases(doc).flatMap((b) => {
      if (typeof b.value !== 'string') return [at(b.pointer, `@base must be a URL string, found ${shown(b.value)}`)];
      // Lowercase only: RDF compares IRIs character by character, so HTTPS://x/ and https://x/ name different things.
      return /^https?:/.test(b.value) ? [] : [at(b.pointer, `@base ${shown(b.value)} does not start with https:// or http:// (in lowercase)`)];
    }),
};

export const baseSimpleUrl: Expectation = {
  id: 'base-simple-url',
  summary: "A declared @base names a host and a '/'-terminated path built from portable segments; it carries no credentials, query, fragment or '.'/'..' segment.",
  check: (doc) =>
    bases(doc).flatMap((b) => {
      if (typeof b.value !== 'string') return []; // base-web-scheme reports it
      const problem = simpleUrlProblem(b.value);
      return problem === undefined ? [] : [at(b.pointer, `@base ${shown(b.value)} ${problem}`)];
    }),
};

export const baseDeclared: Expectation = {
  id: 'base-declared',
  summary: 'The context declares an @base, so every relative @id becomes an IRI of its own.',
  check: (doc) => {
    if (bases(doc).some((b) => typeof b.value === 'string')) return [];
    const where = doc.contextObjects[0]?.pointer ?? (doc.rootContext?.pointer ?? '');
    return [at(where, 'the context declares no @base, so relative @ids resolve against wherever the file happens to be read from')];
  },
};

export const baseHasPath: Expectation = {
  id: 'base-has-path',
  summary: 'The @base has a path below the host, so TROs published on the same host do not share identifiers.',
  requires: ['base-declared'],
  check: (doc) => urlBases(doc).filter((b) => b.parts.path.replace(/\/+$/, '') === '').map((b) => at(b.pointer, `@base ${shown(b.url)} is just a host; add a path unique to this TRO`)),
};

export const baseHostLowercase: Expectation = {
  id: 'base-host-lowercase',
  summary: 'The @base host is written in lowercase.',
  requires: ['base-declared'],
  check: (doc) => urlBases(doc).filter((b) => b.parts.host !== b.parts.host.toLowerCase()).map((b) => at(b.pointer, `the @base host ${JSON.stringify(b.parts.host)} is not lowercase`)),
};

export const baseHostOwnable: Expectation = {
  id: 'base-host-ownable',
  summary: 'The @base host could belong to someone: a registrable domain, not localhost, an IP address, .test, .example, .invalid, example.com and the like.',
  requires: ['base-declared'],
  check: (doc) =>
    urlBases(doc).flatMap((b) => {
      const problem = unownableHostProblem(b.parts.host);
      return problem === undefined ? [] : [at(b.pointer, `the @base host cannot be owned: ${problem}`)];
    }),
};
