// `pe-trace cache info`: where the query cache is, how many entries it holds and how large it is.
import { homedir } from 'node:os';
import { Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../../src/cli/base-command.js';
import { EXIT, cacheUsage, resolveCacheDirectory } from '../../src/index.js';

interface CacheInfoResult {
  readonly entries: number;
  readonly bytes: number;
}

export default class CacheInfo extends BaseCommand<CacheInfoResult> {
  static override summary = 'Show the query cache: its directory, entries and size.';
  static override description = [
    '`pe-trace query` keeps each file\'s facts and lifted graph, keyed by the file\'s sha256, so an unchanged file is',
    'never read or lifted twice. The cache lives in $XDG_CACHE_HOME/pe-trace (else ~/.cache/pe-trace) unless --cache',
    'names another directory, and is kept within `query --cache-max-mb` by evicting the least recently used entries.',
  ].join(' ');
  static override examples = ['<%= config.bin %> cache info', '<%= config.bin %> cache info --cache /tmp/pe-cache --json'];
  static override flags = {
    cache: Flags.string({ description: 'the cache directory (default: $XDG_CACHE_HOME/pe-trace, else ~/.cache/pe-trace)' }),
  };

  protected async exec(): Promise<Outcome<CacheInfoResult>> {
    const { flags } = await this.parse(CacheInfo);
    const dir = resolveCacheDirectory(flags.cache ?? 'auto', { xdgCacheHome: process.env['XDG_CACHE_HOME'], home: homedir() }) as string;
    const usage = cacheUsage(dir);
    const mb = (usage.bytes / (1024 * 1024)).toFixed(1);
    // The directory is shown to a person only: machine output carries no absolute paths.
    return { result: usage, status: EXIT.OK, text: [`cache ${dir}: ${usage.entries} entr${usage.entries === 1 ? 'y' : 'ies'}, ${mb} MB`] };
  }
}
