// Where a build TRO was emitted (`pop:emittedIn` and the CI fields, pe-data §3), from an explicit mapping: the library never reads the environment.
import { InputError } from '../errors.js';

/** `pop:`-prefixed performance keys and their string values, e.g. `{"pop:emittedIn": "local"}`. */
export type BuildEmissionContext = Readonly<Record<string, string>>;

const POP_KEY = /^pop:[A-Za-z_][A-Za-z0-9_.-]*$/;

export function buildEmittedIn(value: string): BuildEmissionContext {
  return { 'pop:emittedIn': value };
}

/**
 * The populace rule applied to a mapping the caller passes: `GITHUB_ACTIONS == "true"` gives `github-actions` with
 * `pop:ciRunUrl` (server, repository and run id all set), `pop:ciGitSha` and `pop:ciGitRef`; anything else `local`.
 */
export function buildEmissionContextFromEnvironment(env: Readonly<Record<string, string | undefined>>): BuildEmissionContext {
  if (env['GITHUB_ACTIONS'] !== 'true') return buildEmittedIn('local');
  const context: Record<string, string> = { 'pop:emittedIn': 'github-actions' };
  const server = env['GITHUB_SERVER_URL'];
  const repository = env['GITHUB_REPOSITORY'];
  const runId = env['GITHUB_RUN_ID'];
  if (server && repository && runId) context['pop:ciRunUrl'] = `${server}/${repository}/actions/runs/${runId}`;
  if (env['GITHUB_SHA']) context['pop:ciGitSha'] = env['GITHUB_SHA'];
  if (env['GITHUB_REF']) context['pop:ciGitRef'] = env['GITHUB_REF'];
  return context;
}

/** A context must name `pop:emittedIn`, and only set `pop:` terms with non-empty string values. */
export function checkBuildEmissionContext(context: BuildEmissionContext): void {
  if (!Object.hasOwn(context, 'pop:emittedIn')) throw new InputError('USAGE', 'the emission context must set pop:emittedIn (e.g. --emitted-in local)');
  for (const [key, value] of Object.entries(context)) {
    if (!POP_KEY.test(key)) throw new InputError('USAGE', `emission context key ${JSON.stringify(key)} is not a pop: term`);
    if (typeof value !== 'string' || value === '') throw new InputError('USAGE', `emission context value of ${key} must be a non-empty string`);
  }
}
