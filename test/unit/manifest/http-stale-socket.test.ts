// The HTTP client and a kept-alive socket the server has closed: the request is sent again once on a fresh
// connection instead of failing with ECONNRESET (the cause of a certify test that failed only under load).
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeHttpClient } from '../../../src/index.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

/**
 * A minimal HTTP/1.1 server that answers the first request on each connection (announcing keep-alive) and resets the
 * connection when a second request arrives on it: exactly what a client sees when it reuses a socket the server
 * closed after its keep-alive timeout, without depending on any timing.
 */
async function startDroppingServer(): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server = createServer((socket: Socket) => {
    connections += 1;
    let answered = false;
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      if (!buffered.includes('\r\n\r\n')) return;
      const head = buffered.startsWith('HEAD ');
      buffered = '';
      if (answered) {
        socket.resetAndDestroy();
        return;
      }
      answered = true;
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\nKeep-Alive: timeout=60\r\n\r\n${head ? '' : 'ok'}`);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/x`, connections: () => connections };
}

describe('createNodeHttpClient on a stale kept-alive socket', () => {
  it('sends the request again on a fresh connection (GET and HEAD)', async () => {
    const { url, connections } = await startDroppingServer();
    const http = createNodeHttpClient({ allowLoopbackHttp: true });
    expect((await http.get(url)).status).toBe(200);
    // The second request goes out on the kept-alive socket, which the server resets: retried, answered.
    const second = await http.get(url);
    expect(second.status).toBe(200);
    expect(Buffer.from(second.body).toString()).toBe('ok');
    expect(await http.head(url)).toBe(200);
    expect(await http.head(url)).toBe(200);
    expect(connections()).toBeGreaterThanOrEqual(4);
  });

  it('a connection refused is still an error (no retry loop)', async () => {
    const { url } = await startDroppingServer();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    const http = createNodeHttpClient({ allowLoopbackHttp: true });
    await expect(http.get(url)).rejects.toThrow(/ECONNREFUSED/);
  });
});
