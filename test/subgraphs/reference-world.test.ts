import { parseGlobalId, MEMBERS } from '../../schema';
import {
  createWorld,
  DEMO_IDS,
  DEMO_SEARCH_TERMS,
  OPERATIONS,
  type AnyRecord,
  type CaseRecord,
  type CompoundRecord,
  type SuspectRecord,
  type VictimRecord,
  type World,
} from '../../subgraphs/reference';

const COUNTRIES = MEMBERS.map((member) => member.code);

function wholeWorld(world: World): Map<string, AnyRecord> {
  const records = new Map<string, AnyRecord>();
  for (const country of COUNTRIES) {
    const share = world.share(country);
    for (const record of [...share.Suspect, ...share.Compound, ...share.Case, ...share.Victim])
      records.set(record.id, record);
  }
  return records;
}

/** Every reference a record makes, with the kind it must have. */
function referencesOf(record: AnyRecord): [string, string][] {
  const kind = parseGlobalId(record.id)!.kind;
  switch (kind) {
    case 'Suspect': {
      const s = record as SuspectRecord;
      return [
        ...s.associates.map((id): [string, string] => [id, 'Suspect']),
        ...s.linkedCases.map((id): [string, string] => [id, 'Case']),
      ];
    }
    case 'Compound': {
      const c = record as CompoundRecord;
      return [
        ...c.operators.map((id): [string, string] => [id, 'Suspect']),
        ...c.linkedCases.map((id): [string, string] => [id, 'Case']),
      ];
    }
    case 'Case': {
      const c = record as CaseRecord;
      return [
        ...c.suspects.map((id): [string, string] => [id, 'Suspect']),
        ...c.compounds.map((id): [string, string] => [id, 'Compound']),
        ...c.victims.map((id): [string, string] => [id, 'Victim']),
      ];
    }
    case 'Victim': {
      const v = record as VictimRecord;
      return [
        ...(v.confinedAt ? [[v.confinedAt, 'Compound'] as [string, string]] : []),
        ...v.linkedCases.map((id): [string, string] => [id, 'Case']),
      ];
    }
  }
}

describe('the reference world', () => {
  it('is deterministic: the same seed and size give the same world', () => {
    expect(createWorld({ seed: 7, size: 150 }).share('KH')).toEqual(
      createWorld({ seed: 7, size: 150 }).share('KH'),
    );
    expect(createWorld({ seed: '42' }).share('PH')).toEqual(createWorld({ seed: 42 }).share('PH'));
  });

  it('changes with the seed, but keeps the core scenario', () => {
    const a = createWorld({ seed: 1 });
    const b = createWorld({ seed: 2 });
    expect(JSON.stringify(a.share('KR'))).not.toEqual(JSON.stringify(b.share('KR')));
    expect(a.record(DEMO_IDS.goldenCraneCompound)).toEqual(b.record(DEMO_IDS.goldenCraneCompound));
  });

  it('never calls Math.random', () => {
    const random = jest.spyOn(Math, 'random');
    try {
      createWorld({ seed: 3, size: 300 }).share('TH');
      expect(random).not.toHaveBeenCalled();
    } finally {
      random.mockRestore();
    }
  });

  it.each([100, 1000])(
    'is coherent at size %i: every reference exists, has the right kind, and links are symmetric',
    (size) => {
      const world = createWorld({ size });
      const records = wholeWorld(world);
      let crossBorder = 0;
      for (const record of records.values()) {
        for (const [id, kind] of referencesOf(record)) {
          const target = records.get(id);
          expect({
            from: record.id,
            id,
            exists: target !== undefined,
            kind: parseGlobalId(id)?.kind,
          }).toEqual({ from: record.id, id, exists: true, kind });
          if (id.slice(0, 2) !== record.country) crossBorder++;
        }
      }
      expect(crossBorder).toBeGreaterThan(50);

      for (const record of records.values()) {
        const kind = parseGlobalId(record.id)!.kind;
        if (kind === 'Case') {
          const c = record as CaseRecord;
          for (const id of c.suspects) expect((records.get(id) as SuspectRecord).linkedCases).toContain(c.id);
          for (const id of c.victims) expect((records.get(id) as VictimRecord).linkedCases).toContain(c.id);
          for (const id of c.compounds)
            expect((records.get(id) as CompoundRecord).linkedCases).toContain(c.id);
        } else {
          const linked = (record as SuspectRecord | CompoundRecord | VictimRecord).linkedCases;
          for (const id of linked) {
            const c = records.get(id) as CaseRecord;
            expect([...c.suspects, ...c.compounds, ...c.victims]).toContain(record.id);
          }
          // A record's operations are its cases' (the scope a joint team's basis checks).
          const operations = [
            ...new Set(linked.flatMap((id) => (records.get(id) as CaseRecord).operations)),
          ].sort();
          expect({ id: record.id, operations: record.operations }).toEqual({ id: record.id, operations });
        }
        if (kind === 'Suspect') {
          for (const id of (record as SuspectRecord).associates)
            expect((records.get(id) as SuspectRecord).associates).toContain(record.id);
        }
      }
    },
  );

  it('tells the story: KH-CMP-000001 is run by KR and TH suspects; KR victims are confined across borders', () => {
    const world = createWorld();
    const compound = world.record(DEMO_IDS.goldenCraneCompound) as CompoundRecord;
    const owners = new Set(compound.operators.map((id) => id.slice(0, 2)));
    expect(owners).toEqual(new Set(['KH', 'KR', 'TH']));
    expect(compound.name).toBe('Golden Crane Resort');

    const krCase = world.record(DEMO_IDS.voicePhishingCaseKR) as CaseRecord;
    expect(krCase.compounds).toContain('KH-CMP-000001');
    expect(krCase.suspects.some((id) => id.startsWith('TH-'))).toBe(true);
    expect(krCase.proceedsAccounts.some((account) => account.country === 'PH')).toBe(true);
    expect(krCase.operations).toEqual([OPERATIONS.BREAKING_CHAINS]);

    const victim = world.record(DEMO_IDS.confinedVictimKR) as VictimRecord;
    expect(victim).toMatchObject({ nationality: 'KR', status: 'CONFINED', confinedAt: 'KH-CMP-000001' });

    const victims = COUNTRIES.flatMap((country) => world.share(country).Victim);
    const statuses = new Set(victims.map((v) => v.status));
    expect(statuses).toEqual(new Set([null, 'MISSING', 'CONFINED', 'RESCUED', 'REPATRIATED']));
    // Koreans are the victims' most common nationality, across every member of the registry (a member
    // added later changes the shares, not the order: every profile puts Koreans first or second).
    const byNationality = new Map<string, number>();
    for (const v of victims) byNationality.set(v.nationality, (byNationality.get(v.nationality) ?? 0) + 1);
    const [most] = [...byNationality.entries()].sort((a, b) => b[1] - a[1]);
    expect(most?.[0]).toBe('KR');
    expect(victims.some((v) => v.country === 'KR' && v.confinedAt && !v.confinedAt.startsWith('KR-'))).toBe(
      true,
    );
    expect(
      COUNTRIES.flatMap((country) => world.share(country).Case).some((c) => c.operations.length === 0),
    ).toBe(true);
  });

  it('shares the alias "Tiger" across at least four members, and the demo passport across four', () => {
    const world = createWorld();
    const suspects = COUNTRIES.flatMap((country) => world.share(country).Suspect);
    const tigers = suspects.filter((s) => s.aliases.includes(DEMO_SEARCH_TERMS.sharedAlias));
    expect(new Set(tigers.map((s) => s.country)).size).toBeGreaterThanOrEqual(4);
    expect(tigers.map((s) => s.id).sort()).toEqual(
      [DEMO_IDS.tigerKH, DEMO_IDS.tigerKR, DEMO_IDS.tigerPH, DEMO_IDS.tigerTH, DEMO_IDS.tigerVN].sort(),
    );
    const holders = suspects.filter((s) => s.passportNumbers.includes(DEMO_SEARCH_TERMS.passport));
    expect(new Set(holders.map((s) => s.country))).toEqual(new Set(['KR', 'KH', 'TH', 'VN']));
  });

  it('names only records that exist in its demo constants', () => {
    const world = createWorld({ size: 1 });
    for (const id of Object.values(DEMO_IDS))
      expect({ id, exists: world.has(id) }).toEqual({ id, exists: true });
  });

  it('grows with size: about `size` records per member, every sampled reference existing', () => {
    const world = createWorld({ size: 100_000 });
    for (const country of COUNTRIES) {
      const total = (['Suspect', 'Compound', 'Case', 'Victim'] as const).reduce(
        (sum, kind) => sum + world.count(country, kind),
        0,
      );
      expect(Math.abs(total - 100_000)).toBeLessThan(100);
    }
    // Random access: a member generates any one record without the rest of the world.
    for (const country of COUNTRIES) {
      for (const kind of ['Suspect', 'Compound', 'Case', 'Victim'] as const) {
        for (const serial of [world.count(country, kind), Math.ceil(world.count(country, kind) / 2), 77]) {
          const record = world.record(
            `${country}-${{ Suspect: 'SUS', Compound: 'CMP', Case: 'CAS', Victim: 'VIC' }[kind]}-${String(serial).padStart(6, '0')}`,
          )!;
          for (const [id] of referencesOf(record))
            expect({ id, exists: world.has(id) }).toEqual({ id, exists: true });
        }
      }
    }
    expect(world.has('KR-SUS-999999')).toBe(false);
  });

  it('rejects a bad size or seed with a message that shows it', () => {
    expect(() => createWorld({ size: 0 })).toThrow(/not 0/);
    expect(() => createWorld({ size: 1.5 })).toThrow(/not 1.5/);
    expect(() => createWorld({ seed: -1 })).toThrow(/not -1/);
    expect(() => createWorld().share('XX')).toThrow(/"XX" is not a member/);
  });
});
