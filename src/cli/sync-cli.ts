// What `sync` and `query --endpoint --load` share: the default state file of a directory on a server, and the summary line.
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, type SyncReport } from '../index.js';

/**
 * The default state file for syncing `dir` to `server` (its Graph Store URL, else its endpoint). Keyed by the
 * directory's real path so `./records` and `/abs/records` share one state, and by the server so two servers
 * never share a record of what the other holds.
 */
export function defaultSyncStatePath(cacheDir: string, dir: string, server: string): string {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    throw new InputError('INPUT_UNREADABLE', 'no such directory', { location: { file: dir } });
  }
  const key = createHash('sha256').update(`${real}\n${server}`).digest('hex').slice(0, 32);
  return join(cacheDir, 'sync', `${key}.json`);
}

/** One line saying what a sync did (the same words for `sync` and `query --load`). */
export function syncSummary(report: Omit<SyncReport, 'warnings'>): string {
  const how = report.protocol === 'graph-store' ? 'Graph Store Protocol' : 'SPARQL 1.1 Update';
  return `synced ${report.documents} document(s) with ${how}${report.resumed ? ' (continued an interrupted run)' : ''}: ${report.put} graph(s) written (${report.triples} triple(s); ${report.batched} several per request), ${report.patched} patched (${report.patchedTriples} triple(s) changed), ${report.deleted} removed, ${report.unchanged} unchanged; ${report.requests} write request(s)`;
}
