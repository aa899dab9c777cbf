// `pe-trace cache clear`: removes every entry of the query cache.
import { homedir } from 'node:os';
import { Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../../src/cli/base-command.js';
import { EXIT, clearCache, resolveCacheDirectory } from '../../src/index.js';

interface CacheClearResult {
  readonly entries: number;
  readonly bytes: number;
}

export default class CacheClear extends BaseCommand<CacheClearResult> {
  static override summary = 'Remove every entry of the query cache.';
  static override description = 'Empties the cache directory (the directory itself stays). The next query reads and lifts every file again.';
  static override examples = ['<%= config.bin %> cache clear', '<%= config.bin %> cache clear --cache /tmp/pe-cache'];
  static override flags = {
    cache: Flags.string({ description: 'the cache directory (default: $XDG_CACHE_HOME/pe-trace, else ~/.cache/pe-trace)' }),
  };

  protected async exec(): Promise<Outcome<CacheClearResult>> {
    const { flags } = await this.parse(CacheClear);
    const dir = resolveCacheDirectory(flags.cache ?? 'auto', { xdgCacheHome: process.env['XDG_CACHE_HOME'], home: homedir() }) as string;
    const removed = clearCache(dir);
    return { result: removed, status: EXIT.OK, text: [`removed ${removed.entries} entr${removed.entries === 1 ? 'y' : 'ies'} (${(removed.bytes / (1024 * 1024)).toFixed(1)} MB)`] };
  }
}
