// Worker thread entry: reads a share of a corpus's files (see parallel-facts.ts) and posts their facts back in order.
import { parentPort, workerData } from 'node:worker_threads';
import { type FactsJob, readFactsResult } from './read-facts.js';

interface WorkerInput {
  readonly dir: string;
  readonly jobs: readonly FactsJob[];
  readonly maxBytes: number;
}

const input = workerData as WorkerInput;
parentPort?.postMessage(input.jobs.map((job) => readFactsResult(input.dir, job, input.maxBytes)));
