// Runs an in-process directory query on a worker thread with a deadline and a heap bound, so neither a runaway nor a huge question can hang or crash the CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ErrorCode, InputError, type Location, PeTraceError } from '../errors.js';
import type { ParsedQuery } from './parse.js';
import type { SparqlBinding } from './results.js';
import { ROW_BATCH } from './ox-engine.js';
import { type DirectoryAnswer, type DirectoryQueryOptions, queryDirectory, storedDirectoryAnswer } from './run.js';

/** The default `--timeout` of `pe-trace query`, in seconds (README "Query guard rails"). */
export const DEFAULT_QUERY_TIMEOUT_S = 120;
/** The default heap bound of an in-process query, in MB (the worker's V8 old generation). */
export const DEFAULT_QUERY_MAX_MEMORY_MB = 1024;

export interface GuardedQueryOptions extends DirectoryQueryOptions {
  /** Stop the evaluation after this many milliseconds (QUERY_TIMEOUT). */
  readonly timeoutMs: number;
  /** The worker's heap bound in MB (QUERY_TOO_LARGE when exceeded). */
  readonly maxMemoryMb: number;
}

const SCALE_OUT = 'for questions this large, keep the dataset resident (pe-trace serve --dir DIR) or in a SPARQL server (pe-trace sync --dir DIR --endpoint URL, then pe-trace query --endpoint URL) instead of answering in-process';

/** The compiled worker beside this module; absent when running the TypeScript sources (then the query runs on this thread, unguarded). */
function workerScript(): URL | undefined {
  const url = new URL('./query-worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * queryDirectory on a worker thread: terminated at `timeoutMs` (QUERY_TIMEOUT) or when its heap passes
 * `maxMemoryMb` (QUERY_TOO_LARGE); the answer is the same as on this thread. oxigraph evaluates synchronously,
 * so only a separate thread can be stopped mid-query. `onRows` receives SELECT rows as the worker posts them
 * (DirectoryQueryOptions.onRows); rows already handed over stay handed over when the query is then stopped. With
 * `onRows`, the returned SELECT answer carries no bindings (neither thread keeps them: an export of every quad
 * would not fit); without it, the answer holds every row (bounded by `maxMemoryMb`).
 */
export async function queryDirectoryGuarded(dir: string, query: ParsedQuery, options: GuardedQueryOptions): Promise<DirectoryAnswer> {
  const script = workerScript();
  const { timeoutMs, maxMemoryMb, onProgress, onGraphProgress, onRows, ...rest } = options;
  if (script === undefined) return queryDirectory(dir, query, options);
  // A stored answer needs no worker (starting one costs more than reading it); its scan is handed on otherwise.
  const stored = await storedDirectoryAnswer(dir, query, rest);
  if (stored.answer !== undefined) {
    const a = stored.answer.answer;
    if (onRows !== undefined && a.form === 'SELECT') for (let i = 0; i < a.results.results.bindings.length; i += ROW_BATCH) onRows(a.results.results.bindings.slice(i, i + ROW_BATCH));
    return stored.answer;
  }
  // With onRows, the rows arrive in batches while the worker computes them; they are handed on, not kept here.
  return new Promise<DirectoryAnswer>((resolve, reject) => {
    const worker = new Worker(script, {
      workerData: { dir, query, options: stored.scan === undefined ? rest : { ...rest, scan: stored.scan }, streamRows: onRows !== undefined },
      resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb },
    });
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
      void worker.terminate();
    };
    const timer = setTimeout(() => {
      finish(() => reject(new InputError('QUERY_TIMEOUT', `${query.label}: the query did not finish within ${Math.round(timeoutMs / 1000)} s (--timeout) and was stopped; ${SCALE_OUT}`)));
    }, timeoutMs);
    worker.on('message', (m: WorkerMessage) => {
      if ('rows' in m) {
        if (settled) return;
        // Once handed on (and written, when onRows returns a promise for that), the worker may read more.
        void Promise.resolve(onRows?.(m.rows)).then(() => {
          if (!settled) worker.postMessage('ack');
        });
      } else if ('progress' in m) (m.progress === 'read' ? onProgress : onGraphProgress)?.(m.done, m.total);
      else if ('error' in m) finish(() => reject(rebuildError(m.error)));
      else finish(() => resolve(m.done));
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        finish(() => reject(new InputError('QUERY_TOO_LARGE', `${query.label}: the query needed more than ${maxMemoryMb} MB and was stopped (--max-memory raises the bound); ${SCALE_OUT}`)));
      } else finish(() => reject(new PeTraceError('INTERNAL', `the query worker failed: ${e.message.split('\n')[0] ?? ''}`)));
    });
    worker.on('exit', (code) => finish(() => reject(new PeTraceError('INTERNAL', `the query worker stopped (exit ${code}) before answering`))));
  });
}

type WorkerMessage =
  | { readonly progress: 'read' | 'lift'; readonly done: number; readonly total: number }
  | { readonly rows: readonly SparqlBinding[] }
  | { readonly error: { readonly code: ErrorCode; readonly detail: string; readonly location?: Location } }
  | { readonly done: DirectoryAnswer };

function rebuildError(e: { code: ErrorCode; detail: string; location?: Location }): PeTraceError {
  const options = e.location === undefined ? {} : { location: e.location };
  return e.code === 'INTERNAL' || e.code === 'ASSET_BROKEN' ? new PeTraceError(e.code, e.detail, options) : new InputError(e.code, e.detail, options);
}
