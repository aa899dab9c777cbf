// Chooses the @base of a converted TRO (--base, the document's own, its self URL, or a reported placeholder) and checks what LINKABLE-TRO asks of a base.
import { PeTraceError } from '../errors.js';

/** Where the converted document's base came from. */
export type BaseSource = 'option' | 'document' | 'self-url' | 'placeholder';

export interface ChosenBase {
  readonly base: string;
  readonly source: BaseSource;
  /** Why the base would not meet TRACE's LINKABLE-TRO base expectations (empty when it would). */
  readonly problems: readonly string[];
}

/**
 * The placeholder for a document with no base of its own: content-addressed under the reserved `.invalid`
 * domain (RFC 2606), like the lift's default base. It is honest (it claims no real host) and therefore never
 * LINKABLE-TRO: a publisher who wants a linkable TRO passes --base with a host they control.
 */
export const PLACEHOLDER_BASE_PREFIX = 'https://pe-trace.invalid/tro/';

/** Host suffixes TRACE's base-host-ownable expectation rejects (reserved or special-use names, RFC 2606 / 6761 / 8375 / 9476). */
const RESERVED_SUFFIXES = ['.test', '.example', '.invalid', '.localhost', '.local', '.alt', '.internal', '.home.arpa'];
const RESERVED_HOSTS = ['localhost', 'example.com', 'example.net', 'example.org', 'home.arpa'];

/**
 * What TRACE's LINKABLE-TRO tier expects of `@base` (trace-trov.md §5, T3 and T7), checked here in our own code:
 * an http(s) URL with a lowercase, real dotted host, a path of portable segments ending in `/`, and no userinfo,
 * query, fragment or dot segments.
 */
export function baseProblems(base: string): string[] {
  const out: string[] = [];
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return ['it is not an absolute URL'];
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') out.push(`its scheme is ${url.protocol.replace(/:$/, '')}, not http or https`);
  if (url.username !== '' || url.password !== '') out.push('it has userinfo');
  if (url.search !== '' || base.includes('?')) out.push('it has a query');
  if (url.hash !== '' || base.includes('#')) out.push('it has a fragment');
  const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(base)?.[1] ?? '';
  const host = authority.replace(/^.*@/, '').replace(/:\d+$/, '');
  if (host !== host.toLowerCase()) out.push('its host is not lowercase');
  const h = host.toLowerCase();
  if (!h.includes('.') || /^[0-9.]+$/.test(h) || h.startsWith('[')) out.push(`its host ${host} is not a registrable domain name`);
  else if (RESERVED_HOSTS.includes(h) || RESERVED_SUFFIXES.some((s) => h.endsWith(s))) out.push(`its host ${host} is a reserved name no publisher can own`);
  const path = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(base)?.[1] ?? '';
  if (path === '' || path === '/') out.push('it has no path after the host');
  if (!path.endsWith('/')) out.push('it does not end with /');
  const segments = path.split('/').slice(1, -1);
  if (segments.some((s) => s === '.' || s === '..')) out.push('it has dot segments');
  else if (segments.some((s) => !/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(s))) out.push('a path segment is not portable ([A-Za-z0-9._-], alphanumeric at both ends)');
  return out;
}

/** Checks a --base value: refuses what cannot be a JSON-LD base at all (a usage error), reports the rest. */
export function checkBaseOption(base: string): void {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new PeTraceError('USAGE', `--base must be an absolute http(s) URL (got ${JSON.stringify(base)})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PeTraceError('USAGE', `--base must be an http(s) URL (got ${JSON.stringify(base)})`);
  if (!base.endsWith('/')) throw new PeTraceError('USAGE', `--base must end with / so relative @ids resolve under it (got ${JSON.stringify(base)})`);
  if (url.search !== '' || url.hash !== '' || base.includes('?') || base.includes('#')) {
    throw new PeTraceError('USAGE', `--base must not have a query or fragment (got ${JSON.stringify(base)})`);
  }
}

export interface BaseInputs {
  readonly option?: string;
  /** The document's own top-level `@base`. */
  readonly documentBase?: string | null;
  /** `pe:selfUrl` / `pop:selfUrl` of the TRO node. */
  readonly selfUrl?: string;
  /** sha256 of the original bytes, for the placeholder. */
  readonly originalSha256: string;
}

/**
 * The base, in this order: --base; the document's own @base (it chose its IRIs); the folder of its self URL (the
 * publisher says the document lives there, so its relative ids already meant IRIs under that folder); else the
 * placeholder, which the caller reports.
 */
export function chooseBase(inputs: BaseInputs): ChosenBase {
  if (inputs.option !== undefined) {
    checkBaseOption(inputs.option);
    return { base: inputs.option, source: 'option', problems: baseProblems(inputs.option) };
  }
  if (typeof inputs.documentBase === 'string' && /^https?:\/\//.test(inputs.documentBase)) {
    const base = inputs.documentBase.endsWith('/') ? inputs.documentBase : folderOf(inputs.documentBase);
    if (base !== undefined) return { base, source: 'document', problems: baseProblems(base) };
  }
  if (inputs.selfUrl !== undefined && /^https:\/\//.test(inputs.selfUrl)) {
    const base = folderOf(inputs.selfUrl);
    if (base !== undefined) return { base, source: 'self-url', problems: baseProblems(base) };
  }
  const base = `${PLACEHOLDER_BASE_PREFIX}${inputs.originalSha256}/`;
  return { base, source: 'placeholder', problems: baseProblems(base) };
}

/** `https://h/a/b/file.jsonld` → `https://h/a/b/` (query and fragment dropped); undefined when there is no folder. */
function folderOf(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const path = u.pathname.slice(0, u.pathname.lastIndexOf('/') + 1);
  if (path === '/' || path === '') return undefined;
  return `${u.protocol}//${u.host}${path}`;
}
