/**
 * The gateway's last line of defence (gateway/formatError.ts): no internal address reaches a client in a
 * message, and nothing that only looks like one is mangled: `identifiers[0]` in a watch's refusal is an
 * index the analyst needs to find the bad identifier.
 */
import { formatGatewayError } from '../../gateway/formatError';
import { createLogger } from '../../lib/logger';
import { ERROR_CODES } from '../../schema';

const logger = createLogger('test-format-error');
const message = (text: string): string =>
  formatGatewayError({ message: text, extensions: { code: ERROR_CODES.BAD_USER_INPUT } }, undefined, logger)
    .message;

test.each([
  ['a URL', 'KR answered http://10.0.0.5:4101/graphql with 503', 'KR answered [internal address] with 503'],
  [
    'an IPv4 address and port',
    'connect ECONNREFUSED 127.0.0.1:4101',
    'connect ECONNREFUSED [internal address]',
  ],
  ['localhost', 'no answer from localhost:4100', 'no answer from [internal address]'],
  ['a bracketed IPv6 address', 'connect ECONNREFUSED [::1]:4101', 'connect ECONNREFUSED [internal address]'],
  ['an IPv6 address after a word', 'at host[fe80::1]', 'at host[internal address]'],
])('scrubs %s', (_name, given, expected) => {
  expect(message(given)).toBe(expected);
});

test.each([
  'identifiers[0] (phone) is not a phone number in international form',
  'identifiers[12]: missing required field "issuingCountry"; identifiers[1]: unknown field',
  'the list [a] of [bad] values',
])('keeps an index or bracketed word as it is: %s', (given) => {
  expect(message(given)).toBe(given);
});
