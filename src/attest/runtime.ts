// The production runtime a run record binds: observed from a host's documented environment variables (passed in,
// never read here), plus facts the caller measured (lockfile sha256, package versions). Nothing is guessed.
import { PeTraceError } from '../errors.js';

/** Hosts whose documented variables we read; the value of pe:runtimeHost. */
export type RuntimeHost = 'cloud-run' | 'kubernetes' | 'github-actions';
export const RUNTIME_HOSTS: readonly RuntimeHost[] = ['cloud-run', 'kubernetes', 'github-actions'];

/**
 * The typed binding: each key is a pe: term (vocab/pe.ttl §3) written on the run's performance, and the whole
 * object is the hashed runtime payload (runtime.json). Absent keys were not observed.
 */
export interface RuntimeBinding {
  readonly runtimeHost: RuntimeHost;
  readonly containerImageSha?: string;
  readonly service?: string;
  readonly serviceRevision?: string;
  readonly cloudRegion?: string;
  readonly instanceId?: string;
  readonly lockfileSha256?: string;
  readonly interpreterVersion?: string;
  /** `name==version` lines joined by `\n`, sorted (one pe: literal; the payload keeps it too). */
  readonly packageVersions?: string;
}

export interface MeasuredRuntime {
  readonly lockfileSha256?: string | undefined;
  /** `pip freeze` style text: `name==version` per line; other lines are ignored. */
  readonly packagesText?: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

/** A non-empty variable (empty counts as unset, as Python's truthiness does). */
const v = (env: Env, name: string): string | undefined => {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
};

/**
 * Which host the environment documents, by its defining variables: Cloud Run (K_SERVICE + K_REVISION, or
 * CLOUD_RUN_JOB + CLOUD_RUN_EXECUTION), Kubernetes (KUBERNETES_SERVICE_HOST), GitHub Actions (GITHUB_ACTIONS=true).
 */
export function detectRuntimeHost(env: Env): RuntimeHost | undefined {
  if ((v(env, 'K_SERVICE') && v(env, 'K_REVISION')) || (v(env, 'CLOUD_RUN_JOB') && v(env, 'CLOUD_RUN_EXECUTION'))) return 'cloud-run';
  if (v(env, 'KUBERNETES_SERVICE_HOST')) return 'kubernetes';
  if (env['GITHUB_ACTIONS'] === 'true') return 'github-actions';
  return undefined;
}

type MutableBinding = { -readonly [K in keyof RuntimeBinding]?: RuntimeBinding[K] };

function put(out: MutableBinding, key: Exclude<keyof RuntimeBinding, 'runtimeHost'>, value: string | undefined): void {
  if (value !== undefined) out[key] = value;
}

/**
 * The binding the environment shows. Variables read (all optional except the host's defining ones):
 * - Cloud Run: K_SERVICE / K_REVISION (services) or CLOUD_RUN_JOB / CLOUD_RUN_EXECUTION + CLOUD_RUN_TASK_INDEX (jobs).
 * - Kubernetes downward API, as exposed with `env[].valueFrom.fieldRef`: POD_NAMESPACE + POD_NAME (or HOSTNAME) as
 *   the instance, APP_NAME / APP_VERSION (from the `app.kubernetes.io/name|version` labels) as service and revision.
 * - GitHub Actions: GITHUB_REPOSITORY + GITHUB_WORKFLOW as service, GITHUB_SHA as revision,
 *   GITHUB_RUN_ID / GITHUB_RUN_ATTEMPT as instance.
 * - Any host: CONTAINER_IMAGE_DIGEST (sha256:<hex>, set at deploy time), CLOUD_REGION, PYTHON_VERSION (set by the
 *   official python images) as `python <version>`.
 * Throws USAGE when no supported host is detected: a record never claims a runtime it did not observe.
 */
export function runtimeFromEnvironment(env: Env, measured: MeasuredRuntime = {}): RuntimeBinding {
  const host = detectRuntimeHost(env);
  if (host === undefined) {
    throw new PeTraceError('USAGE', '--runtime-from-env: no supported host detected (Cloud Run K_SERVICE/K_REVISION, Kubernetes KUBERNETES_SERVICE_HOST, GITHUB_ACTIONS=true); no runtime is claimed');
  }
  const out: MutableBinding & { runtimeHost: RuntimeHost } = { runtimeHost: host };
  if (host === 'cloud-run') {
    if (v(env, 'K_SERVICE')) {
      put(out, 'service', v(env, 'K_SERVICE'));
      put(out, 'serviceRevision', v(env, 'K_REVISION'));
    } else {
      put(out, 'service', v(env, 'CLOUD_RUN_JOB'));
      const exec = v(env, 'CLOUD_RUN_EXECUTION');
      const task = v(env, 'CLOUD_RUN_TASK_INDEX');
      put(out, 'instanceId', exec === undefined ? undefined : task === undefined ? exec : `${exec}/${task}`);
    }
  } else if (host === 'kubernetes') {
    put(out, 'service', v(env, 'APP_NAME'));
    put(out, 'serviceRevision', v(env, 'APP_VERSION'));
    const pod = v(env, 'POD_NAME') ?? v(env, 'HOSTNAME');
    const ns = v(env, 'POD_NAMESPACE');
    put(out, 'instanceId', pod === undefined ? undefined : ns === undefined ? pod : `${ns}/${pod}`);
  } else {
    const repo = v(env, 'GITHUB_REPOSITORY');
    const workflow = v(env, 'GITHUB_WORKFLOW');
    put(out, 'service', repo === undefined ? undefined : workflow === undefined ? repo : `${repo}:${workflow}`);
    put(out, 'serviceRevision', v(env, 'GITHUB_SHA'));
    const run = v(env, 'GITHUB_RUN_ID');
    const attempt = v(env, 'GITHUB_RUN_ATTEMPT');
    put(out, 'instanceId', run === undefined ? undefined : attempt === undefined ? run : `${run}/${attempt}`);
  }
  const digest = v(env, 'CONTAINER_IMAGE_DIGEST');
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest)) throw new PeTraceError('USAGE', 'CONTAINER_IMAGE_DIGEST must be sha256:<64 lowercase hex>');
  put(out, 'containerImageSha', digest);
  put(out, 'cloudRegion', v(env, 'CLOUD_REGION'));
  const py = v(env, 'PYTHON_VERSION');
  put(out, 'interpreterVersion', py === undefined ? undefined : `python ${py}`);
  if (measured.lockfileSha256 !== undefined) put(out, 'lockfileSha256', measured.lockfileSha256);
  if (measured.packagesText !== undefined) {
    const lines = measured.packagesText.split(/\r?\n/).map((l) => l.trim()).filter((l) => /^[A-Za-z0-9][A-Za-z0-9._-]*==\S+$/.test(l));
    if (lines.length > 0) put(out, 'packageVersions', [...new Set(lines)].sort().join('\n'));
  }
  return out;
}

/** The binding as runtime-environment entries (pe:<key> on the performance), refusing clashes with given ones. */
export function mergeRuntimeBinding(binding: RuntimeBinding, given: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(binding)) {
    if (given !== undefined && key in given) throw new PeTraceError('USAGE', `--runtime-env sets ${key}, which --runtime-from-env observes; give one or the other`);
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}
