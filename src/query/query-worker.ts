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
try {
  const r = await queryDirectory(input.dir, input.query, {
    ...input.options,
    onProgress: (done, total) => post({ progress: 'read', done, total }),
    onGraphProgress: (done, total) => post({ progress: 'lift', done, total }),
    // Every row went out in these batches (queryDirectory's promise), so the final answer need not carry them again.
    ...(input.streamRows ? { onRows: (rows: readonly SparqlBinding[]) => post({ rows }) } : {}),
  });
  const answer = r.answer.form === 'SELECT' && input.streamRows ? { form: 'SELECT', results: { head: r.answer.results.head, results: { bindings: [] } } } : r.answer;
  post({ done: { answer, documents: r.documents, problems: r.problems, warnings: r.warnings, cached: r.cached } });
} catch (e) {
  post({ error: isPeTraceError(e) ? { code: e.code, detail: e.detail, location: e.location } : { code: 'INTERNAL', detail: e instanceof Error ? e.message : String(e) } });
}
