// Where a build TRO was emitted (`pop:emittedIn` and the CI fields, pe-data §3): the shared emission-context rule with `pop:` keys.
import { type EmissionContext, checkEmissionContextFor, emissionContextFromEnvironmentFor, emittedInFor } from '../emit/emission-context.js';

/** `pop:`-prefixed performance keys and their string values, e.g. `{"pop:emittedIn": "local"}`. */
export type BuildEmissionContext = EmissionContext;

export function buildEmittedIn(value: string): BuildEmissionContext {
  return emittedInFor('pop', value);
}

/** populace's environment rule: the interop §2.4 one, writing `pop:emittedIn`, `pop:ciRunUrl`, `pop:ciGitSha`, `pop:ciGitRef`. */
export function buildEmissionContextFromEnvironment(env: Readonly<Record<string, string | undefined>>): BuildEmissionContext {
  return emissionContextFromEnvironmentFor('pop', env);
}

/** A context must name `pop:emittedIn`, and only set `pop:` terms with non-empty string values. */
export function checkBuildEmissionContext(context: BuildEmissionContext): void {
  checkEmissionContextFor('pop', context);
}
