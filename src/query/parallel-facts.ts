// Reads many corpus files' facts on several threads: this thread takes the first share, worker threads the others.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type FactsJob, type FactsResult, readFactsResult } from './read-facts.js';

/** Below this many files a worker's start-up (about 0.1 s: its own module graph) costs more than it saves. */
const MIN_FILES_PER_THREAD = 500;

/**
 * The compiled worker script beside this module. Tests run the TypeScript sources, which a worker thread
 * cannot load: there (and in any build without the script) every file is read on this thread.
 */
function workerScript(): URL | undefined {
  const url = new URL('./extract-worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * The facts of every job, in job order: identical to reading them one by one on this thread (each result
 * is a pure function of the file's bytes), only sooner on a machine with free cores. `workers` is how many
 * extra threads may be used; `onEach` reports this thread's progress as it goes and the workers' as they finish.
 */
export async function readFactsParallel(dir: string, jobs: readonly FactsJob[], options: { readonly maxBytes: number; readonly workers: number; readonly onEach?: () => void }): Promise<FactsResult[]> {
  const here = (share: readonly FactsJob[]): FactsResult[] =>
    share.map((job) => {
      const r = readFactsResult(dir, job, options.maxBytes);
      options.onEach?.();
      return r;
    });
  const script = workerScript();
  const threads = script === undefined ? 1 : Math.max(1, Math.min(options.workers + 1, Math.floor(jobs.length / MIN_FILES_PER_THREAD)));
  if (threads === 1 || script === undefined) return here(jobs);
  const share = Math.ceil(jobs.length / threads);
  const pending: Promise<FactsResult[]>[] = [];
  for (let t = 1; t < threads; t++) {
    const slice = jobs.slice(t * share, (t + 1) * share);
    pending.push(runWorker(script, { dir, jobs: slice, maxBytes: options.maxBytes }, slice.length).then((r) => {
      for (let i = 0; i < r.length; i++) options.onEach?.();
      return r;
    }));
  }
  // This thread's share runs while the workers run theirs (their results wait in the message queue).
  const own = here(jobs.slice(0, share));
  return [own, ...(await Promise.all(pending))].flat();
}

function runWorker(script: URL, data: { dir: string; jobs: readonly FactsJob[]; maxBytes: number }, expected: number): Promise<FactsResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: data });
    let settled = false;
    worker.once('message', (m: unknown) => {
      settled = true;
      const results: unknown = typeof m === 'string' ? JSON.parse(m) : undefined;
      if (Array.isArray(results) && results.length === expected) resolve(results as FactsResult[]);
      else reject(new Error('a facts worker returned a malformed result'));
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`a facts worker stopped (exit ${code}) before answering`));
    });
  });
}
