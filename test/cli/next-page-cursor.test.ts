/**
 * A search page prints the command of the next page (cli/commands/search.ts). Its cursor is base64url
 * and may begin with `-`: written `--after <cursor>`, such a cursor was read as an unknown option and the
 * printed command failed with a usage error, one page in 64. Written `--after=<cursor>`, it is a value.
 */
import { parseCommandLine } from '../../cli/commandLine';
import { SEARCH } from '../../cli/commands/search';

test.each(['-AbC_9', '--AbC', 'AbC-_9', '_-'])(
  'the next page command keeps the cursor %s whole',
  (cursor) => {
    const line = parseCommandLine(SEARCH, [
      'Tiger',
      '--countries',
      'KR',
      '--kind',
      'suspects',
      '--first',
      '1',
      `--after=${cursor}`,
    ]);
    expect(line.values['after']).toBe(cursor);
  },
);

test('written apart, a cursor that begins with - is taken for an option: why the command joins it with =', () => {
  expect(() =>
    parseCommandLine(SEARCH, ['Tiger', '--countries', 'KR', '--kind', 'suspects', '--after', '-AbC_9']),
  ).toThrow();
});
