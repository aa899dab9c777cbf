// The emission context (interop §2.4): `pe:*` performance keys saying where a TRO was emitted, from an explicit mapping.
import { InputError } from '../errors.js';

/** `pe:`-prefixed performance keys and their string values, e.g. `{"pe:emittedIn": "local"}`. */
export type EmissionContext = Readonly<Record<string, string>>;

/** The `pe:emittedIn` values policyengine.py's own JSON Schema allows (its shipped TROs also use `repository-bundle`). */
export const SCHEMA_EMITTED_IN: readonly string[] = ['local', 'github-actions', 'policyengine-api'];

/** `pe:` followed by an NCName-like local name: the only keys a context may set (never `@id`, `@type`, `rdfs:…`). */
const PE_KEY = /^pe:[A-Za-z_][A-Za-z0-9_.-]*$/;

/** `{"pe:emittedIn": value}`: what `--emitted-in` means. */
export function emittedIn(value: string): EmissionContext {
  return { 'pe:emittedIn': value };
}

/**
 * The environment rule of interop §2.4, applied to a mapping the caller passes (the library never reads
 * process.env): `GITHUB_ACTIONS == "true"` gives `github-actions` with `pe:ciRunUrl` (when the server URL,
 * repository and run id are all set), `pe:ciGitSha` and `pe:ciGitRef`; anything else gives `local`.
 */
export function emissionContextFromEnvironment(env: Readonly<Record<string, string | undefined>>): EmissionContext {
  if (env['GITHUB_ACTIONS'] !== 'true') return emittedIn('local');
  const context: Record<string, string> = { 'pe:emittedIn': 'github-actions' };
  const server = env['GITHUB_SERVER_URL'];
  const repository = env['GITHUB_REPOSITORY'];
  const runId = env['GITHUB_RUN_ID'];
  // Python tests truthiness: an empty variable counts as unset.
  if (server && repository && runId) context['pe:ciRunUrl'] = `${server}/${repository}/actions/runs/${runId}`;
  if (env['GITHUB_SHA']) context['pe:ciGitSha'] = env['GITHUB_SHA'];
  if (env['GITHUB_REF']) context['pe:ciGitRef'] = env['GITHUB_REF'];
  return context;
}

/**
 * Checks a context before it is merged (fixing interop §11.11): it must name `pe:emittedIn`, and every key
 * must be a `pe:` term, so a context can no longer overwrite `@id`, `@type` or a TROv property. Collisions
 * with keys the builder itself sets are refused by the caller, which knows those keys.
 */
export function checkEmissionContext(context: EmissionContext): void {
  const keys = Object.keys(context);
  if (!keys.includes('pe:emittedIn')) {
    throw new InputError('USAGE', 'the emission context must set pe:emittedIn (e.g. --emitted-in local)');
  }
  for (const key of keys) {
    if (!PE_KEY.test(key)) throw new InputError('USAGE', `emission context key ${JSON.stringify(key)} is not a pe: term`);
    const value: unknown = context[key];
    if (typeof value !== 'string' || value === '') {
      throw new InputError('USAGE', `emission context value of ${key} must be a non-empty string`);
    }
  }
}
