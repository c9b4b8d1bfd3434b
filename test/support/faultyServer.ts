import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'slow' | 'garbage' | 'not-graphql' | 'http-500' | 'down';

/**
 * A stand-in for a member that misbehaves, on 127.0.0.1 with port 0. `slow` never answers (until the
 * server stops); `down` is a port that was just closed.
 */
export async function startFaultyServer(fault: Fault): Promise<{ url: string; stop(): Promise<void> }> {
  const pending = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    request.resume();
    switch (fault) {
      case 'slow':
        pending.add(response);
        return;
      case 'garbage':
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<html><body>Gateway Timeout at 10.1.2.3:8080</body></html>');
        return;
      case 'not-graphql':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ hello: 'world' }));
        return;
      case 'http-500':
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'database at postgres://10.0.0.9:5432 is down' }));
        return;
      case 'down':
        response.destroy();
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/graphql`;
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const response of pending) response.destroy();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  if (fault === 'down') {
    await stop();
    return { url, stop: () => Promise.resolve() };
  }
  return { url, stop };
}
