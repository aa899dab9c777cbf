// `--map LOCATION=PATH`: where a referee keeps a downloaded copy of an artifact, so it is checked offline.
import { PeTraceError } from '../errors.js';

/** One mapping: an exact artifact location, or a prefix ending in `/` whose remainder is resolved under `path`. */
export interface LocationMapping {
  readonly location: string;
  readonly path: string;
}

/** What a location maps to: the mapped file (exact) or folder plus remainder (prefix). */
export type MappedLocation =
  | { readonly kind: 'exact'; readonly path: string; readonly mapping: LocationMapping }
  | { readonly kind: 'prefix'; readonly dir: string; readonly rest: string; readonly mapping: LocationMapping };

/**
 * Parses `LOCATION=PATH`, split at the last `=`: locations (URLs with a query) hold `=` far more often than the
 * local paths a referee types. An empty side is a usage error.
 */
export function parseLocationMapping(text: string): LocationMapping {
  const at = text.lastIndexOf('=');
  if (at <= 0 || at === text.length - 1) {
    throw new PeTraceError('USAGE', `--map ${text}: expected LOCATION=PATH (LOCATION an artifact location, or a prefix ending in /)`);
  }
  return { location: text.slice(0, at), path: text.slice(at + 1) };
}

/** The mapping for a location: an exact match wins, else the longest `/`-ending prefix. */
export function mapLocation(location: string, mappings: readonly LocationMapping[]): MappedLocation | undefined {
  const exact = mappings.find((m) => m.location === location);
  if (exact !== undefined) return { kind: 'exact', path: exact.path, mapping: exact };
  let best: LocationMapping | undefined;
  for (const m of mappings) {
    if (m.location.endsWith('/') && location.startsWith(m.location) && (best === undefined || m.location.length > best.location.length)) best = m;
  }
  return best === undefined ? undefined : { kind: 'prefix', dir: best.path, rest: location.slice(best.location.length), mapping: best };
}

/** Throws USAGE for a mapping that matches none of `locations` (a mistyped location must not pass silently). */
export function checkMappingsUsed(mappings: readonly LocationMapping[], locations: readonly string[]): void {
  for (const m of mappings) {
    const used = locations.some((l) => l === m.location || (m.location.endsWith('/') && l.startsWith(m.location)));
    if (!used) {
      const hint = m.location.endsWith('/') ? '' : ' (a prefix must end in /)';
      throw new PeTraceError('USAGE', `--map ${m.location}=${m.path}: no artifact has that location${hint}`);
    }
  }
}
