// The emission context (interop §2.4, pe-data §3): `pe:*` or `pop:*` performance keys saying where a TRO was emitted, from an explicit mapping.
import { InputError } from '../errors.js';

/** `pe:`- (or, for build TROs, `pop:`-) prefixed performance keys and their string values, e.g. `{"pe:emittedIn": "local"}`. */
export type EmissionContext = Readonly<Record<string, string>>;

/** The term prefix of a context: `pe` for PolicyEngine TROs, `pop` for build TROs. */
export type ContextPrefix = 'pe' | 'pop';

/** The `pe:emittedIn` values policyengine.py's own JSON Schema allows (its shipped TROs also use `repository-bundle`). */
export const SCHEMA_EMITTED_IN: readonly string[] = ['local', 'github-actions', 'policyengine-api'];

/** `{"<prefix>:emittedIn": value}`: what `--emitted-in` means. */
export function emittedInFor(prefix: ContextPrefix, value: string): EmissionContext {
  return { [`${prefix}:emittedIn`]: value };
}

/**
 * The environment rule of interop §2.4 (populace follows it with `pop:` keys), applied to a mapping the caller
 * passes (the library never reads process.env): `GITHUB_ACTIONS == "true"` gives `github-actions` with
 * `<prefix>:ciRunUrl` (when the server URL, repository and run id are all set), `<prefix>:ciGitSha` and
 * `<prefix>:ciGitRef`; anything else gives `local`.
 */
export function emissionContextFromEnvironmentFor(prefix: ContextPrefix, env: Readonly<Record<string, string | undefined>>): EmissionContext {
  if (env['GITHUB_ACTIONS'] !== 'true') return emittedInFor(prefix, 'local');
  const context: Record<string, string> = { [`${prefix}:emittedIn`]: 'github-actions' };
  const server = env['GITHUB_SERVER_URL'];
  const repository = env['GITHUB_REPOSITORY'];
  const runId = env['GITHUB_RUN_ID'];
  // Python tests truthiness: an empty variable counts as unset.
  if (server && repository && runId) context[`${prefix}:ciRunUrl`] = `${server}/${repository}/actions/runs/${runId}`;
  if (env['GITHUB_SHA']) context[`${prefix}:ciGitSha`] = env['GITHUB_SHA'];
  if (env['GITHUB_REF']) context[`${prefix}:ciGitRef`] = env['GITHUB_REF'];
  return context;
}

/**
 * Checks a context before it is merged (fixing interop §11.11): it must name `<prefix>:emittedIn`, and every key
 * must be a `<prefix>:` term followed by an NCName-like local name, so a context can no longer overwrite `@id`,
 * `@type` or a TROv property. Collisions with keys the builder itself sets are refused by the caller, which knows those keys.
 */
export function checkEmissionContextFor(prefix: ContextPrefix, context: EmissionContext): void {
  const keys = Object.keys(context);
  if (!keys.includes(`${prefix}:emittedIn`)) {
    throw new InputError('USAGE', `the emission context must set ${prefix}:emittedIn (e.g. --emitted-in local)`);
  }
  const term = new RegExp(`^${prefix}:[A-Za-z_][A-Za-z0-9_.-]*$`);
  for (const key of keys) {
    if (!term.test(key)) throw new InputError('USAGE', `emission context key ${JSON.stringify(key)} is not a ${prefix}: term`);
    const value: unknown = context[key];
    if (typeof value !== 'string' || value === '') {
      throw new InputError('USAGE', `emission context value of ${key} must be a non-empty string`);
    }
  }
}

/** `{"pe:emittedIn": value}`. */
export function emittedIn(value: string): EmissionContext {
  return emittedInFor('pe', value);
}

/** The interop §2.4 environment rule with `pe:` keys. */
export function emissionContextFromEnvironment(env: Readonly<Record<string, string | undefined>>): EmissionContext {
  return emissionContextFromEnvironmentFor('pe', env);
}

/** Checks a `pe:` context (see checkEmissionContextFor). */
export function checkEmissionContext(context: EmissionContext): void {
  checkEmissionContextFor('pe', context);
}
