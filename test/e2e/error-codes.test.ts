// The watch over every end-to-end answer's `extensions.code` (test/support/errorCodeWatch.ts) sees what
// the suites see: the answers of the helpers and of raw requests, the HTTP layer's own included. Without
// this, a watch that saw nothing (not installed, or reading nothing) would let every suite pass.
import { MEMBERS } from '../../schema';
import { ERROR_CODES } from '../../vocabulary';
import { analyst, post, startAlliance, type Alliance } from '../support/alliance';
import { errorCodeWatchInstalled, errorCodesOf, seenErrorCodes } from '../support/errorCodeWatch';

const [FIRST, OTHER] = MEMBERS;

let alliance: Alliance;
beforeAll(async () => {
  alliance = await startAlliance();
});
afterAll(() => alliance.stop());

describe('the watch over error codes', () => {
  it('is on in the end-to-end suites', () => {
    expect(errorCodeWatchInstalled()).toBe(true);
  });

  it('records the code of every answer a suite reads, whichever way it asked', async () => {
    const origin = new URL(alliance.gatewayUrl).origin;
    const read = async (response: Response): Promise<{ status: number; codes: string[] }> => ({
      status: response.status,
      codes: errorCodesOf(await response.json()),
    });
    // What each request gets is stated here from the documented behaviour, not read back from the watch.
    const answers = {
      // lib/http.ts answers a path it does not serve, a body over its limit and an empty body itself.
      notServed: await read(
        await fetch(`${origin}/no-such-path`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }),
      ),
      tooLarge: await read(
        await fetch(alliance.gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `{ __typename } #${'x'.repeat(300 * 1024)}` }),
        }),
      ),
      empty: await read(
        await fetch(alliance.gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '',
        }),
      ),
      // The shared helper: no token, then an analyst who declares no purpose asking another member.
      anonymous: await post(alliance.gatewayUrl, { query: '{ __typename }' }),
      noPurpose: await alliance.query(`{ suspect(id: "${OTHER!.code}-SUS-000001") { id fullName } }`, {
        headers: analyst(FIRST!.code, 'first.a'),
      }),
    };
    expect(answers.notServed).toEqual({ status: 404, codes: [ERROR_CODES.NOT_FOUND] });
    expect(answers.tooLarge).toEqual({ status: 413, codes: [ERROR_CODES.PAYLOAD_TOO_LARGE] });
    expect(answers.empty).toEqual({ status: 400, codes: [ERROR_CODES.BAD_REQUEST] });
    expect(errorCodesOf(answers.anonymous.body)).toEqual([ERROR_CODES.UNAUTHENTICATED]);
    expect(errorCodesOf(answers.noPurpose.body)).toEqual([ERROR_CODES.PURPOSE_REQUIRED]);

    const seen = await seenErrorCodes();
    expect([...seen.codes.keys()].sort()).toEqual(
      [
        ERROR_CODES.NOT_FOUND,
        ERROR_CODES.PAYLOAD_TOO_LARGE,
        ERROR_CODES.BAD_REQUEST,
        ERROR_CODES.UNAUTHENTICATED,
        ERROR_CODES.PURPOSE_REQUIRED,
      ].sort(),
    );
    // alliance.query signs a token first (no fetch), so every answer above went through the watch once.
    expect(seen.answers).toBe(Object.keys(answers).length);
  });

  it('counts an error without a code as one outside the set', () => {
    expect(
      errorCodesOf({
        errors: [{ message: 'no code' }, { message: 'coded', extensions: { code: ERROR_CODES.WITHHELD } }],
      }),
    ).toEqual(['(no code)', ERROR_CODES.WITHHELD]);
  });
});
