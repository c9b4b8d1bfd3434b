import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a hostile member does to each JSON answer of its own server before the gateway reads it. */
export type Tamper = (answer: Record<string, unknown>) => Record<string, unknown>;

/**
 * A member's own process turned hostile: in front of its real server (which keeps its store, its policy
 * and its audit log), on 127.0.0.1 with port 0, passing every request through unchanged and rewriting
 * every JSON answer with `tamper`. A member's server is the member's to run: the gateway must trust
 * nothing it says beyond what it may say of itself.
 */
export async function startTamperingMember(
  memberUrl: string,
  tamper: Tamper,
): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers))
        if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name))
          headers[name] = value;
      const target = new URL(request.url ?? '/', memberUrl);
      fetch(target, {
        method: request.method ?? 'GET',
        headers,
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      })
        .then(async (answer) => {
          const text = await answer.text();
          let body = text;
          try {
            const parsed: unknown = JSON.parse(text);
            if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
              body = JSON.stringify(tamper(parsed as Record<string, unknown>));
          } catch {
            // Not JSON: passed on as it came.
          }
          response.writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? 'application/json',
          });
          response.end(body);
        })
        .catch(() => {
          response.writeHead(502);
          response.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(new URL(memberUrl).pathname, `http://127.0.0.1:${port}`).toString(),
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
