import type { GraphQLError } from 'graphql';
import type { RequestContext } from '../../../policy';
import { ERROR_CODES, accordError } from '../../../schema';
import type { FollowUpRequest, RequestStore } from '../../desk';
import { readWords } from './readFiling';

/** What a requester's answer to the desk may hold: real words, a page at most. */
const INFORMATION = { what: 'information', minLetters: 10, maxLength: 4_000 } as const;

/**
 * The requester answers the owner's desk, which asked for more information (issue 9 item 2): the request
 * goes back to the desk as `pending`, with the answer in its history (`info-supplied`), where the desk reads
 * it (`npm run desk -- show`, the /desk page). Only the analyst who filed it may answer, only while the desk
 * waits for it; any other request id, the owner's or another requester's, is answered like one that does
 * not exist, so an id tells nobody about requests not theirs. The due time stays as it was: the desk sees
 * the request overdue when it is.
 */
export function supplyInformation(
  requests: RequestStore,
  input: { readonly id: string; readonly information: string },
  requester: RequestContext,
  owner: string,
  at: number,
):
  | { readonly ok: true; readonly request: FollowUpRequest }
  | { readonly ok: false; readonly error: GraphQLError } {
  const request = requests.get(input.id);
  if (
    request === undefined ||
    request.requesterCountry !== requester.country ||
    request.analyst !== requester.analyst
  ) {
    return {
      ok: false,
      error: accordError(
        ERROR_CODES.NOT_FOUND,
        `You have no follow-up request ${printableId(input.id)} with ${owner}.`,
        { id: printableId(input.id) },
      ),
    };
  }
  if (request.state !== 'info-requested') {
    return {
      ok: false,
      error: accordError(
        ERROR_CODES.BAD_USER_INPUT,
        `${owner}'s desk asks nothing about ${request.id} now (it is ${request.state}); nothing changed.`,
        { state: request.state },
      ),
    };
  }
  const read = readWords(input.information, INFORMATION);
  if (!read.ok) {
    return {
      ok: false,
      error: accordError(ERROR_CODES.BAD_USER_INPUT, `The information was not sent: ${read.problem}`, {
        problems: [read.problem],
      }),
    };
  }
  const moved = requests.transition(request.id, 'info-requested', 'pending', {
    at,
    by: `${requester.country}/${requester.analyst}`,
    act: 'info-supplied',
    text: read.text,
  });
  if (!moved.changed || moved.request === undefined) {
    return {
      ok: false,
      error: accordError(
        ERROR_CODES.BAD_USER_INPUT,
        `${owner}'s desk decided ${request.id} meanwhile; nothing changed.`,
        { state: moved.request?.state ?? null },
      ),
    };
  }
  return { ok: true, request: moved.request };
}

/** An id as the analyst sent it, cut short: echoed in the error without letting it carry anything long. */
function printableId(id: string): string {
  return id.slice(0, 64).replace(/[^A-Za-z0-9._:/-]/g, '?');
}
