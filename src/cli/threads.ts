// How many extra threads a command may give the library for reading a large directory (cores − 1, at most 3).
import { availableParallelism } from 'node:os';

/** `PE_TRACE_THREADS=N` caps the total (1 = this thread only), for shared machines and reproducible timings. */
export function extraThreads(): number {
  const cap = Number.parseInt(process.env['PE_TRACE_THREADS'] ?? '', 10);
  const total = Math.min(availableParallelism(), 4, Number.isInteger(cap) && cap >= 1 ? cap : Number.POSITIVE_INFINITY);
  return Math.max(0, total - 1);
}
