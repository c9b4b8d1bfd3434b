// A cursor once was base64url JSON: the record id in clear and an unsalted SHA-256 (72 bits) of the search
// term, so whoever held one (a log, a shared link, another analyst) read the id and recovered a phone-number
// term by trying the few thousand values around it. Cursors are now sealed (subgraphs/kit/search/searchPage.ts).
import { searchPage } from '../../subgraphs/kit';
import { createHash } from 'node:crypto';

describe('red team 14b: what a cursor tells its holder', () => {
  const term = '+855 96 555-0142';
  const page = searchPage(
    [{ id: 'KH-SUS-000001', exact: true }],
    { first: 1 },
    { owner: 'KH', kind: 'Suspect', term },
  );
  const cursor = page.entries[0]!.cursor;

  it('names no record in clear', () => {
    expect(Buffer.from(cursor, 'base64url').toString('utf8')).not.toContain('KH-SUS-000001');
  });

  it('does not give the searched term back to whoever tries the numbers around it', () => {
    const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
    let recovered: string | undefined;
    for (let n = 0; n < 10_000 && !recovered; n++) {
      const guess = `855 96 555 ${String(n).padStart(4, '0')}`;
      if (decoded.includes(createHash('sha256').update(guess, 'utf8').digest('base64url').slice(0, 12)))
        recovered = guess;
    }
    expect(recovered).toBeUndefined();
  });
});
