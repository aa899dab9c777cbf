// Worker thread entry: answers one in-process query (queryDirectory) so the caller can stop it at its deadline or memory bound.
import { parentPort, workerData } from 'node:worker_threads';
import { isPeTraceError } from '../errors.js';
import type { SparqlBinding } from './results.js';
import { type DirectoryQueryOptions, queryDirectory } from './run.js';
import type { ParsedQuery } from './parse.js';

interface WorkerInput {
  readonly dir: string;
  readonly query: ParsedQuery;
  readonly options: Omit<DirectoryQueryOptions, 'onProgress' | 'onGraphProgress' | 'onRows'>;
  /** Post SELECT rows as they are found (the caller streams them); the final answer then carries no bindings. */
  readonly streamRows: boolean;
}

const input = workerData as WorkerInput;
const post = (m: unknown): void => parentPort?.postMessage(m);

/** Batches of rows posted and not yet acknowledged by the main thread (it answers `ack` once it has written one). */
const MAX_UNACKED = 8;
let unacked = 0;
let resume: (() => void) | undefined;
parentPort?.on('message', (m: unknown) => {
  if (m !== 'ack') return;
  unacked--;
  if (resume !== undefined && unacked < MAX_UNACKED) {
    const r = resume;
    resume = undefined;
    r();
  }
});

/** Posts a batch of rows; past MAX_UNACKED batches in flight, the reader waits (rows must not pile up in the port). */
function postRows(rows: readonly SparqlBinding[]): void | Promise<void> {
  post({ rows });
  unacked++;
  if (unacked < MAX_UNACKED) return undefined;
  return new Promise<void>((r) => {
    resume = r;
  });
}
try {
  const r = await queryDirectory(input.dir, input.query, {
    ...input.options,
    onProgress: (done, total) => post({ progress: 'read', done, total }),
    onGraphProgress: (done, total) => post({ progress: 'lift', done, total }),
    // Every row went out in these batches (queryDirectory's promise), so the final answer need not carry them again.
    ...(input.streamRows ? { onRows: postRows } : {}),
  });
  const answer = r.answer.form === 'SELECT' && input.streamRows ? { form: 'SELECT', results: { head: r.answer.results.head, results: { bindings: [] } } } : r.answer;
  post({ done: { answer, documents: r.documents, problems: r.problems, warnings: r.warnings, cached: r.cached } });
  parentPort?.removeAllListeners('message');
} catch (e) {
  parentPort?.removeAllListeners('message');
  post({ error: isPeTraceError(e) ? { code: e.code, detail: e.detail, location: e.location } : { code: 'INTERNAL', detail: e instanceof Error ? e.message : String(e) } });
}
