// Worker thread entry: runs CONSTRUCT queries (oxigraph) on N-Quads text and posts the N-Triples text back (see construct-runner.ts).
import { parentPort } from 'node:worker_threads';
import { runConstructText } from './sparql.js';

interface Job {
  readonly id: number;
  readonly nquads: string;
  readonly query: string;
}

parentPort?.on('message', (job: Job) => {
  runConstructText(job.nquads, job.query).then(
    (text) => parentPort?.postMessage({ id: job.id, text }),
    (e: unknown) => parentPort?.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
