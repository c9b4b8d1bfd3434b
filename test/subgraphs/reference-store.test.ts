import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MEMBERS } from '../../schema';
import {
  DEMO_IDS,
  DEMO_SEARCH_TERMS,
  SEARCH_LIMIT_PER_KIND,
  normalizeSearchText,
  openStore,
  storeFile,
  type ReferenceStore,
  type SearchHits,
} from '../../subgraphs/reference';
import { searchScope } from '../../subgraphs/kit';
import { AuthorizationState } from '../../subgraphs/kit/authorization/state';
import { loadDefaultPolicy } from '../../policy';
import { TEST_NOW } from '../support/alliance';

/** What the store finds for the owner's own police (the domestic decision releases every category): ids per kind. */
function search(store: ReferenceStore, term: string): Record<keyof SearchHits, string[]> {
  const accord = new AuthorizationState(
    loadDefaultPolicy(),
    store.country,
    { country: store.country, analyst: 'own-analyst', roles: [] },
    TEST_NOW,
  );
  const hits = store.search(term, searchScope(accord));
  return {
    suspects: hits.suspects.map((hit) => hit.id),
    compounds: hits.compounds.map((hit) => hit.id),
    cases: hits.cases.map((hit) => hit.id),
    victims: hits.victims.map((hit) => hit.id),
  };
}

describe('the reference store', () => {
  const stores = new Map<string, ReferenceStore>();
  const store = (country: string): ReferenceStore => {
    let open = stores.get(country);
    if (!open) stores.set(country, (open = openStore({ country, file: ':memory:' })));
    return open;
  };
  afterAll(() => {
    for (const open of stores.values()) open.close();
  });

  describe('search', () => {
    it.each([
      ['a full name', 'KR', 'Seo Min-ho', 'KR-SUS-000002'],
      ['a later word of a name', 'KR', 'min-ho', 'KR-SUS-000002'],
      ['an alias, in any case', 'KR', 'TIGER', DEMO_IDS.tigerKR],
      ['a prefix of an alias', 'KR', 'tig', DEMO_IDS.tigerKR],
      ['an alias in Hangul', 'KR', DEMO_SEARCH_TERMS.koreanAlias, DEMO_IDS.tigerKR],
      ['a passport number', 'TH', DEMO_SEARCH_TERMS.passport, DEMO_IDS.tigerTH],
      ['a passport number in lower case', 'VN', DEMO_SEARCH_TERMS.passport.toLowerCase(), DEMO_IDS.tigerVN],
      ['a phone in international form', 'KH', DEMO_SEARCH_TERMS.phone, DEMO_IDS.tigerKH],
      ['a phone in national form', 'KH', '096-555-0142', DEMO_IDS.tigerKH],
      ['a phone without separators', 'KR', '+855965550142', DEMO_IDS.tigerKR],
      ['an account number', 'PH', DEMO_SEARCH_TERMS.account, DEMO_IDS.muleRecruiterPH],
      ['an account number without dashes', 'PH', '331855502290', DEMO_IDS.muleRecruiterPH],
      ['a messenger handle', 'PH', 'kuya_marco', DEMO_IDS.muleRecruiterPH],
      ['a name in Khmer script', 'KH', 'វណ្ណៈ', 'KH-SUS-000002'],
    ])('finds a suspect by %s', (_what, country, term, id) => {
      expect(search(store(country), term).suspects).toContain(id);
    });

    it('finds compounds by name, victims by name and cases by proceeds account', () => {
      expect(search(store('KH'), DEMO_SEARCH_TERMS.compoundName).compounds).toEqual([
        DEMO_IDS.goldenCraneCompound,
      ]);
      expect(search(store('KR'), 'jung ha-eun').victims).toEqual([DEMO_IDS.confinedVictimKR]);
      expect(search(store('KR'), DEMO_SEARCH_TERMS.account).cases).toEqual([
        'KR-CAS-000001',
        'KR-CAS-000003',
      ]);
      expect(search(store('PH'), DEMO_SEARCH_TERMS.account)).toEqual({
        suspects: [DEMO_IDS.muleRecruiterPH],
        compounds: [],
        cases: ['PH-CAS-000001'],
        victims: [],
      });
    });

    it('finds the shared alias in every member', () => {
      const hits = MEMBERS.filter(
        (member) => search(store(member.code), DEMO_SEARCH_TERMS.sharedAlias).suspects.length > 0,
      );
      expect(hits.length).toBeGreaterThanOrEqual(4);
    });

    it('answers nothing for a term that is too short, blank or too long', () => {
      const none = { suspects: [], compounds: [], cases: [], victims: [] };
      expect(search(store('KR'), '')).toEqual(none);
      expect(search(store('KR'), ' - ')).toEqual(none);
      expect(search(store('KR'), 'k')).toEqual(none);
      expect(search(store('KR'), 'k'.repeat(500))).toEqual(none);
    });

    it('caps each kind', () => {
      const big = openStore({ country: 'KR', file: ':memory:', size: 12_000 });
      try {
        const hits = search(big, 'kim');
        expect(hits.suspects).toHaveLength(SEARCH_LIMIT_PER_KIND);
        expect(hits.victims).toHaveLength(SEARCH_LIMIT_PER_KIND);
        // Exact tokens ("Kim Min-jun", "Manager Kim") rank before prefix-only matches ("Kimura").
        const records = big.load('Suspect', hits.suspects);
        const exact = hits.suspects.map((id) => {
          const suspect = records.get(id)!;
          return [suspect.fullName, ...suspect.aliases].some((name) =>
            normalizeSearchText(name).split(' ').includes('kim'),
          );
        });
        expect(exact).toEqual([...exact].sort((a, b) => Number(b) - Number(a)));
        expect(exact[0]).toBe(true);
      } finally {
        big.close();
      }
    });

    it('normalizes text the same way for index and query', () => {
      expect(normalizeSearchText('  Do Gang-min ')).toBe('do gang min');
      expect(normalizeSearchText('+855 96 555-0142')).toBe('855 96 555 0142');
      expect(normalizeSearchText('ＴＩＧＥＲ')).toBe('tiger');
    });
  });

  describe('batch loads', () => {
    it('loads any number of records in one statement, leaving out ids it does not hold', () => {
      const statements: string[] = [];
      const counted = openStore({
        country: 'KR',
        file: ':memory:',
        size: 2000,
        onStatement: (sql) => statements.push(sql),
      });
      try {
        statements.length = 0;
        const ids = Array.from({ length: 600 }, (_, i) => `KR-SUS-${String(i + 1).padStart(6, '0')}`);
        const found = counted.load('Suspect', [...ids, 'KR-SUS-999999', 'KH-SUS-000001']);
        expect(statements).toHaveLength(1);
        expect(found.size).toBe(600);
        expect(found.get(DEMO_IDS.tigerKR)).toMatchObject({
          id: DEMO_IDS.tigerKR,
          fullName: 'Do Gang-min',
          aliases: expect.arrayContaining(['Tiger']),
        });
        expect(counted.load('Suspect', [])).toEqual(new Map());
      } finally {
        counted.close();
      }
    });

    it('keeps nested values as they were generated', () => {
      const compound = store('KH')
        .load('Compound', [DEMO_IDS.goldenCraneCompound])
        .get(DEMO_IDS.goldenCraneCompound)!;
      expect(compound.raids[0]).toMatchObject({ workersFreed: 37, arrests: 4 });
      expect(compound.coordinates).toEqual({ latitude: expect.any(Number), longitude: expect.any(Number) });
      expect(compound.national).toEqual({ commune: 'Sangkat Koh Sla Muoy' });
    });
  });

  describe('writing a record', () => {
    // The index rows of one record, read from the file by a second connection (what any reader sees).
    function indexRows(file: string, id: string): unknown[] {
      const db = new Database(file, { readonly: true });
      try {
        return db
          .prepare(
            'SELECT term, kind, scope, whole FROM search_terms WHERE id = ? ORDER BY term, kind, scope',
          )
          .all(id);
      } finally {
        db.close();
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'accord-store-write-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    let opened = 0;
    /** A fresh store on disk (the same world each time), closed after the test. */
    function onDisk(): { store: ReferenceStore; file: string } {
      const file = join(dir, `kr-${(opened += 1)}.sqlite`);
      const fresh = openStore({ country: 'KR', file, size: 30 });
      stores.set(`write-${opened}`, fresh);
      return { store: fresh, file };
    }
    const id = DEMO_IDS.tigerKR;

    it('replaces the search entries a change alters, as a write without the record before does', () => {
      const byKey = onDisk();
      const byScan = onDisk();
      const before = byKey.store.load('Suspect', [id]).get(id)!;
      const dropped = before.aliases.find((alias) => alias.includes(' '))!;
      const after = { ...before, aliases: [...before.aliases.filter((a) => a !== dropped), 'Snow Leopard'] };
      byKey.store.transaction(() => byKey.store.writeRecord('Suspect', after, before));
      byScan.store.transaction(() => byScan.store.writeRecord('Suspect', after));
      expect(indexRows(byKey.file, id)).toEqual(indexRows(byScan.file, id));
      expect(search(byKey.store, 'Snow Leopard').suspects).toContain(id);
      expect(search(byKey.store, dropped).suspects).not.toContain(id);
    });

    it('leaves the entries as they were when the change does not touch them (a border movement)', () => {
      const { store: kr, file } = onDisk();
      const before = kr.load('Suspect', [id]).get(id)!;
      const rows = indexRows(file, id);
      const movement = {
        direction: 'EXIT' as const,
        crossingPoint: 'Test crossing',
        country: 'KR',
        at: '2026-06-14T22:10:00Z',
        documentNumber: before.travelDocuments[0]!.number,
      };
      const after = { ...before, borderMovements: [...before.borderMovements, movement] };
      kr.transaction(() => kr.writeRecord('Suspect', after, before));
      expect(indexRows(file, id)).toEqual(rows);
      expect(kr.load('Suspect', [id]).get(id)!.borderMovements).toHaveLength(
        before.borderMovements.length + 1,
      );
      expect(search(kr, before.fullName).suspects).toContain(id);
    });

    it('refuses a record before that is another record, and writes nothing', () => {
      const { store: kr, file } = onDisk();
      const [first, second] = [...kr.load('Suspect', [id, 'KR-SUS-000002']).values()];
      const rows = indexRows(file, second!.id);
      expect(() => kr.writeRecord('Suspect', { ...second!, aliases: ['Snow Leopard'] }, first)).toThrow(
        /is not the record before/,
      );
      expect(indexRows(file, second!.id)).toEqual(rows);
    });
  });

  describe('on disk', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'accord-store-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('seeds on first start, in WAL mode, creating the folder; reuses a file seeded with the same world; reseeds otherwise', () => {
      const file = storeFile('TH', join(dir, 'nested', 'data'));
      expect(file).toBe(join(dir, 'nested', 'data', 'th.sqlite'));

      const first = openStore({ country: 'TH', file, seed: 5, size: 120 });
      expect(first.seeded).toBe(true);
      const hits = search(first, DEMO_SEARCH_TERMS.sharedAlias);
      first.close();
      first.close(); // closing twice is harmless

      const again = openStore({ country: 'TH', file, seed: '5', size: 120 });
      expect(again.seeded).toBe(false);
      expect(search(again, DEMO_SEARCH_TERMS.sharedAlias)).toEqual(hits);
      expect(again.counts).toEqual(first.counts);
      again.close();

      const raw = new Database(file, { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      raw.close();

      const bigger = openStore({ country: 'TH', file, seed: 5, size: 240 });
      expect(bigger.seeded).toBe(true);
      expect(bigger.counts.Suspect).toBeGreaterThan(first.counts.Suspect);
      bigger.close();
    });

    it('refuses a country that is not a member', () => {
      expect(() => openStore({ country: 'XX', file: ':memory:' })).toThrow(/"XX" is not a member/);
    });
  });
});
