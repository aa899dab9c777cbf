// A DepositStateStore in one JSON file, written atomically; an unreadable or foreign file is an error, never silently replaced.
import { readFile, unlink } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { canonicalJsonBytes, isJsonObject, parseJson } from '../json/index.js';
import { writeFileAtomic } from '../manifest/index.js';
import type { DepositState, DepositStateStore } from './zenodo-mirror.js';

/** The state at `path` (named `label` in messages). */
export function depositStateFile(path: string, label: string = path): DepositStateStore {
  return {
    label,
    async load() {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (e) {
        if ((e as { code?: unknown }).code === 'ENOENT') return undefined;
        throw new InputError('INPUT_UNREADABLE', 'cannot read the deposit state', { location: { file: label }, cause: e });
      }
      const v = parseJson(bytes, { label });
      const uploaded = isJsonObject(v) ? v['uploaded'] : undefined;
      if (!isJsonObject(v) || v['version'] === undefined || typeof v['deposit_id'] !== 'string' || typeof v['base'] !== 'string' || !isJsonObject(uploaded)) {
        throw new InputError('INPUT_UNREADABLE', 'not a pe-trace Zenodo deposit state (remove it to start afresh)', { location: { file: label } });
      }
      const up: Record<string, string> = {};
      for (const [k, s] of Object.entries(uploaded)) if (typeof s === 'string') up[k] = s;
      return {
        version: 1,
        base: v['base'],
        country: typeof v['country'] === 'string' ? v['country'] : '',
        deposit_id: v['deposit_id'],
        bucket: typeof v['bucket'] === 'string' ? v['bucket'] : '',
        deposit_url: typeof v['deposit_url'] === 'string' ? v['deposit_url'] : null,
        uploaded: up,
      };
    },
    async save(state: DepositState) {
      await writeFileAtomic(path, canonicalJsonBytes({ ...state }), { label });
    },
    async clear() {
      await unlink(path).catch((e: unknown) => {
        if ((e as { code?: unknown }).code !== 'ENOENT') throw new InputError('INPUT_UNREADABLE', 'cannot remove the deposit state', { location: { file: label }, cause: e });
      });
    },
  };
}
