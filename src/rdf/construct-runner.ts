// CONSTRUCT queries on one worker thread, so the caller keeps lifting while oxigraph evaluates (the query index's TROv views).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The compiled worker script beside this module; absent when running the TypeScript sources (tests). */
function workerScript(): URL | undefined {
  const url = new URL('./construct-worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * One worker thread answering CONSTRUCT jobs in order. `run` resolves with oxigraph's N-Triples text, or with
 * `undefined` when the worker could not answer (then the caller runs the query on its own thread, which gives
 * the same text or raises the same error as before). `close` ends the thread; the runner is unusable after.
 */
export class ConstructRunner {
  private readonly worker: Worker;
  private readonly pending = new Map<number, (text: string | undefined) => void>();
  private next = 0;
  private broken = false;

  private constructor(script: URL) {
    this.worker = new Worker(script);
    this.worker.unref();
    this.worker.on('message', (m: { id: number; text?: string; error?: string }) => {
      const done = this.pending.get(m.id);
      this.pending.delete(m.id);
      // Idle, the thread must not keep the process alive (a caller that stops early never calls close).
      if (this.pending.size === 0) this.worker.unref();
      done?.(m.text);
    });
    const fail = (): void => {
      this.broken = true;
      for (const done of this.pending.values()) done(undefined);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', fail);
  }

  /** A runner, or undefined where no worker script is available (the TypeScript sources). */
  static start(): ConstructRunner | undefined {
    const script = workerScript();
    return script === undefined ? undefined : new ConstructRunner(script);
  }

  run(nquads: string, query: string): Promise<string | undefined> {
    if (this.broken) return Promise.resolve(undefined);
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      // While a job runs the thread keeps the event loop alive: the caller may have nothing else pending.
      this.worker.ref();
      this.worker.postMessage({ id, nquads, query });
    });
  }

  async close(): Promise<void> {
    this.broken = true;
    await this.worker.terminate();
  }
}
