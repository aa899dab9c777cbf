// A tiny fake Hugging Face hub (and PyPI) on 127.0.0.1 for tests: GET/HEAD of resolve/… paths, tokens, redirects, a request log.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.js';
import type { CliResult } from './cli.js';

export interface HubRoute {
  readonly status?: number;
  readonly body?: string | Uint8Array;
  /** Answer 302 to this path (or absolute URL). */
  readonly redirect?: string;
  /** Answer 401 unless `Authorization: Bearer <token>` is sent. */
  readonly token?: string;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
}

/** `/[datasets/]{repo}/resolve/{rev}/{path}` as the hub serves it. */
export function hubPath(repoType: 'dataset' | 'model', repoId: string, revision: string, path: string): string {
  return `/${repoType === 'dataset' ? 'datasets/' : ''}${repoId}/resolve/${revision}/${path}`;
}

export class LoopbackHub {
  readonly requests: LoggedRequest[] = [];
  private readonly routes = new Map<string, HubRoute>();
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<LoopbackHub> {
    let hub: LoopbackHub | undefined;
    const server = createServer((req, res) => hub?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    hub = new LoopbackHub(server, `http://127.0.0.1:${port}`);
    return hub;
  }

  /** Forgets every route and logged request, so one server can serve a whole test file (one per test costs a server each). */
  reset(): this {
    this.routes.clear();
    this.requests.length = 0;
    return this;
  }

  /** Serves `route` at `path` (URL path, decoded form). */
  set(path: string, route: HubRoute): this {
    this.routes.set(path, route);
    return this;
  }

  /** A file at a hub path with status 200. */
  file(path: string, body: string | Uint8Array = 'x'): this {
    return this.set(path, { body });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = decodeURIComponent(new URL(req.url ?? '/', this.url).pathname);
    const auth = req.headers.authorization;
    this.requests.push({ method: req.method ?? '', path, ...(auth === undefined ? {} : { authorization: auth }) });
    const route = this.routes.get(path);
    if (route === undefined) {
      res.writeHead(404).end(req.method === 'HEAD' ? undefined : 'not found');
      return;
    }
    if (route.token !== undefined && auth !== `Bearer ${route.token}`) {
      res.writeHead(401).end();
      return;
    }
    if (route.redirect !== undefined) {
      res.writeHead(302, { location: route.redirect }).end();
      return;
    }
    const body = route.body === undefined ? '' : route.body;
    res.writeHead(route.status ?? 200, { 'content-type': 'application/octet-stream' });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * `runCli` without blocking the test's event loop (spawnSync would starve the loopback server the CLI
 * talks to).
 */
export function runCliAsync(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'run.js'), ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, ...options.env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({ status: code ?? -1, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes });
    });
  });
}
