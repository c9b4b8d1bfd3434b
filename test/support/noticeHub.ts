import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyNotice, type Notice } from '../../alerts';

/**
 * A small hub for tests, keeping the hub's side of the relay contract (docs/decisions/0019-alert-delivery.md,
 * "From the outbox to the hub"): `POST /alerts/notices` with `{ notices: [{ body, signature }] }`; each
 * notice verified against its owner's pinned key (SPKI DER, base64), kept once under (owner, noticeId), a
 * duplicate acknowledged like a new one; the answer `{ acknowledged, refused }`. Written from the contract,
 * not from the relay. Its mode makes it fail as a hub can: 503, a reset connection, no answer at all.
 */
export type NoticeHubMode = 'up' | 'unavailable' | 'reset' | 'hang';

export interface NoticeHub {
  readonly url: string;
  /** Held notices by `owner/noticeId`. */
  readonly held: Map<string, Notice>;
  /** Every notice id received, duplicates included. */
  readonly received: string[];
  mode: NoticeHubMode;
  /** When set, notices it returns true for are refused (not held). */
  refuse?: (noticeId: string) => boolean;
  /** Resolves at the next request the hub receives. */
  nextRequest(): Promise<void>;
  close(): Promise<void>;
}

/** `pinned`: each owner's key, or how to find it when a notice of that owner arrives. */
export async function startNoticeHub(
  pinned: Readonly<Record<string, string>> | ((owner: string) => string | undefined),
): Promise<NoticeHub> {
  let waiting: (() => void)[] = [];
  const hanging: ServerResponse[] = [];
  const hub: Omit<NoticeHub, 'url'> & { url: string } = {
    url: '',
    held: new Map(),
    received: [],
    mode: 'up',
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const answer = (request: IncomingMessage, response: ServerResponse, raw: string): void => {
    if (request.method !== 'POST' || request.url !== '/alerts/notices') {
      response.writeHead(404).end();
      return;
    }
    const { notices } = JSON.parse(raw) as { notices: { body: string; signature: string }[] };
    const acknowledged: string[] = [];
    const refused: { noticeId: string; reason: string }[] = [];
    for (const { body, signature } of notices) {
      const notice = JSON.parse(body) as Notice;
      hub.received.push(notice.noticeId);
      const key = typeof pinned === 'function' ? pinned(notice.owner) : pinned[notice.owner];
      if (key === undefined || !verifyNotice({ notice, signature }, key) || hub.refuse?.(notice.noticeId)) {
        refused.push({ noticeId: notice.noticeId, reason: 'REFUSED' });
        continue;
      }
      // A duplicate is already held, and acknowledged like a new one.
      if (!hub.held.has(`${notice.owner}/${notice.noticeId}`))
        hub.held.set(`${notice.owner}/${notice.noticeId}`, notice);
      acknowledged.push(notice.noticeId);
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ acknowledged, refused }));
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const wake = waiting;
      waiting = [];
      if (hub.mode === 'reset') request.socket.destroy();
      else if (hub.mode === 'hang') hanging.push(response);
      else if (hub.mode === 'unavailable') response.writeHead(503).end('down');
      else answer(request, response, Buffer.concat(chunks).toString('utf8'));
      for (const resolve of wake) resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return hub;
}
