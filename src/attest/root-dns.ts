// The trust anchor from DNS: the TXT record `_pe-trace-root.DOMAIN` holds `keyid=<64 hex>` (the root KEYID).
import { Resolver } from 'node:dns/promises';
import { PeTraceError } from '../errors.js';

export const ROOT_DNS_LABEL = '_pe-trace-root';

export interface RootDnsOptions {
  /** Resolver addresses (`127.0.0.1:5353`, `[::1]:53`); default: the system's resolvers. */
  readonly servers?: readonly string[];
  readonly timeoutMs?: number;
}

/** The root KEYIDs the domain publishes (several during a rotation); ROOT_DNS_FAILED if none can be read. */
export async function resolveRootKeyIds(domain: string, options: RootDnsOptions = {}): Promise<string[]> {
  if (!/^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/.test(domain)) {
    throw new PeTraceError('USAGE', `--root-dns ${JSON.stringify(domain)} is not a domain name`);
  }
  const name = `${ROOT_DNS_LABEL}.${domain.replace(/\.$/, '')}`;
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 5000, tries: 2 });
  if (options.servers !== undefined && options.servers.length > 0) {
    try {
      resolver.setServers([...options.servers]);
    } catch {
      throw new PeTraceError('USAGE', `--dns-server ${options.servers.join(', ')}: not an IP address with an optional port`);
    }
  }
  let records: string[][];
  try {
    records = await resolver.resolveTxt(name);
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : 'error';
    throw new PeTraceError('ROOT_DNS_FAILED', `cannot resolve TXT ${name}: ${code}`);
  }
  const ids: string[] = [];
  for (const chunks of records) {
    const m = /^keyid=([0-9a-f]{64})$/.exec(chunks.join('').trim());
    if (m) ids.push(m[1]!);
  }
  if (ids.length === 0) throw new PeTraceError('ROOT_DNS_FAILED', `TXT ${name} holds no keyid=<64 lowercase hex> record`);
  return ids;
}
