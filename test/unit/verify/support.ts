// Test helpers for the verifier: hand-built TRO models, temp record directories and loopback http(s) servers.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import type { Dialect, TroArtifact, TroArrangement, TroHash, TroModel } from '../../../src/tro/model.js';

export const PE_DIALECT: Dialect = {
  id: 'pe-0.1',
  trovNamespace: 'https://w3id.org/trace/trov/0.1#',
  fingerprintAlgorithm: 'sha256-newline',
  evidence: [],
};
export const TROV_DIALECT: Dialect = {
  id: 'trov-0.1',
  trovNamespace: 'https://w3id.org/trace/trov/0.1#',
  fingerprintAlgorithm: 'sha256-concat',
  evidence: [],
};

export const TLS_CERT = readFileSync('test/fixtures-local/tls/localhost.cert.pem', 'utf8');
const TLS_KEY = readFileSync('test/fixtures-local/tls/localhost.key.pem', 'utf8');

/** Oracle independent of src/: sha256 hex via node:crypto. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The reference fingerprint rule written out directly (sorted, joined, sha256). */
export function newlineFingerprint(values: readonly string[]): string {
  return sha256([...values].sort().join('\n'));
}

export interface ArtifactSpec {
  /** Short id; the full @id is `composition/1/artifact/{id}` unless `fullId` is given. */
  readonly id: string;
  readonly fullId?: string;
  /** A sha256 hash value; omit and give `hashes` (or nothing) for other cases. */
  readonly sha256?: string;
  readonly hashes?: ReadonlyArray<{ algorithm: string; value: string }>;
  readonly location?: string;
}

/** Builds a TroModel as the reader would: artifacts in order, one arrangement with their locations. */
export function model(
  artifacts: readonly ArtifactSpec[],
  options: { fingerprint?: string | null; fingerprintAlgorithm?: string; dialect?: Dialect; extraArrangements?: TroArrangement[] } = {},
): TroModel {
  const dialect = options.dialect ?? PE_DIALECT;
  const built: TroArtifact[] = artifacts.map((a, i) => {
    const hashes: TroHash[] = [
      ...(a.sha256 === undefined ? [] : [{ algorithm: 'sha256', value: a.sha256, pointer: `/@graph/0/trov:hasComposition/trov:hasArtifact/${i}/trov:sha256` }]),
      ...(a.hashes ?? []).map((h, j) => ({ ...h, pointer: `/@graph/0/trov:hasComposition/trov:hasArtifact/${i}/trov:hash/${j}` })),
    ];
    return { id: a.fullId ?? `composition/1/artifact/${a.id}`, shortId: a.id, hashes, pointer: `/@graph/0/trov:hasComposition/trov:hasArtifact/${i}` };
  });
  const arrangement: TroArrangement = {
    id: 'arrangement/1',
    pointer: '/@graph/0/trov:hasArrangement/0',
    locations: artifacts.flatMap((a, i) =>
      a.location === undefined
        ? []
        : [{ artifactId: a.fullId ?? `composition/1/artifact/${a.id}`, location: a.location, pointer: `/@graph/0/trov:hasArrangement/0/trov:hasArtifactLocation/${i}` }],
    ),
  };
  const values = built.flatMap((a) => a.hashes.map((h) => h.value));
  const claimed = options.fingerprint === undefined ? newlineFingerprint(values) : options.fingerprint;
  return {
    dialect,
    troId: 'tro',
    troPointer: '/@graph/0',
    ...(claimed === null
      ? {}
      : { fingerprint: { algorithm: options.fingerprintAlgorithm ?? 'sha256', value: claimed, pointer: '/@graph/0/trov:hasComposition/trov:hasFingerprint' } }),
    artifacts: built,
    arrangements: [arrangement, ...(options.extraArrangements ?? [])],
    performances: [],
    findings: [],
  };
}

/** A fresh temporary record directory with the given files (path → content). */
export async function recordDir(files: Record<string, string | Uint8Array>): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'pe-trace-verify-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface LoopbackServer {
  /** `https://127.0.0.1:PORT` (or http). */
  readonly origin: string;
  /** Request targets (path + query) in arrival order. */
  readonly requests: string[];
  /** Request headers in arrival order. */
  readonly headers: IncomingMessage['headers'][];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(server: Server, scheme: string): Promise<LoopbackServer> {
  const requests: string[] = [];
  const headers: IncomingMessage['headers'][] = [];
  server.prependListener('request', (req: IncomingMessage) => {
    requests.push(req.url ?? '');
    headers.push(req.headers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${scheme}://127.0.0.1:${port}`,
    requests,
    headers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback HTTPS server with the committed throwaway certificate (trust it with `ca: TLS_CERT`). */
export function httpsServer(handler: Handler): Promise<LoopbackServer> {
  return listen(createHttpsServer({ cert: TLS_CERT, key: TLS_KEY }, handler), 'https');
}

/** A plain loopback HTTP server (used to prove that non-https locations are never requested). */
export function httpServer(handler: Handler): Promise<LoopbackServer> {
  return listen(createHttpServer(handler), 'http');
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Scratch folders and loopback servers for one test file, removed and closed after each test (the caller's
 * `afterEach` is registered here, so a test cannot forget it).
 */
export function scratch(): { dir(files: Record<string, string | Uint8Array>): Promise<string>; server(s: Promise<LoopbackServer>): Promise<LoopbackServer> } {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()?.();
  });
  return {
    async dir(files) {
      const r = await recordDir(files);
      cleanups.push(r.cleanup);
      return r.dir;
    },
    async server(s) {
      const started = await s;
      cleanups.push(() => started.close());
      return started;
    },
  };
}
