import { randomBytes } from 'node:crypto';
import { MEMBERS } from '../../schema';
import { openRequestStore, type RequestStore } from '../../subgraphs/desk';

/** Every member's register of follow-up requests (in memory) and a fresh hit-token secret, for `startAlliance({ followUp })`. */
export function followUpDesks(): Record<
  string,
  { readonly requests: RequestStore; readonly hitKey: Buffer }
> {
  return Object.fromEntries(
    MEMBERS.map((member) => [
      member.code,
      { requests: openRequestStore({ owner: member.code, file: ':memory:' }), hitKey: randomBytes(32) },
    ]),
  );
}
