/**
 * The owner's domestic gate, the second key (policy/gateVerdict.ts): no ground, a ground but a
 * requirement that does not allow it, and allowed, each answered with the exact object written out here.
 */
import { gateVerdict, type DomesticGate, type GateGround } from '../../policy';

const source = { file: 'domestic/kh.yaml', line: 1 };
const ground = (id: string, citation: string, rest: Partial<GateGround>): GateGround => ({
  id,
  citation,
  source,
  ...rest,
});

const GATE: DomesticGate = {
  owner: 'KH',
  title: 'KH gate',
  law: 'KH Test Act',
  grounds: [
    ground('treaty', 'Act art. 1', { bases: ['MLAT', 'EXTRADITION'] }),
    ground('police', 'Act art. 2', { bases: ['POLICE_COOPERATION'], purposes: ['investigation'] }),
    // Any basis for a rescue: a ground without lists matches on what it names only.
    ground('rescue', 'Act art. 3', { purposes: ['victim_rescue'] }),
  ],
  requirements: [
    ground('abroad', 'Act art. 9', { bases: ['MLAT', 'POLICE_COOPERATION', 'EMERGENCY', 'JIT'] }),
    ground('any', 'Act art. 10', {}),
  ],
  source,
};

describe('gate verdict', () => {
  test('no ground for the basis and purpose: every ground cited, in file order', () => {
    expect(gateVerdict(GATE, 'HIT_ONLY', 'investigation')).toStrictEqual({
      allowed: false,
      failure: {
        kind: 'domesticGate',
        owner: 'KH',
        citations: ['Act art. 1', 'Act art. 2', 'Act art. 3'],
        text: 'allowed by the agreement, but KH gate has no ground (Act art. 1; Act art. 2; Act art. 3) for a HIT_ONLY transfer for investigation',
      },
    });
  });

  test('a ground whose basis matches but whose purpose does not is no ground', () => {
    expect(gateVerdict(GATE, 'POLICE_COOPERATION', 'border_alert')).toMatchObject({ allowed: false });
  });

  test('a ground, but a requirement that does not allow it: only that requirement cited', () => {
    expect(gateVerdict(GATE, 'EXTRADITION', 'arrest_extradition')).toStrictEqual({
      allowed: false,
      failure: {
        kind: 'domesticGate',
        owner: 'KH',
        citations: ['Act art. 9'],
        text: 'allowed by the agreement, but KH gate requires Act art. 9, which does not allow it for a EXTRADITION transfer for arrest_extradition',
      },
    });
  });

  test('allowed: the first matching ground and every requirement cited', () => {
    expect(gateVerdict(GATE, 'POLICE_COOPERATION', 'investigation')).toStrictEqual({
      allowed: true,
      ref: { owner: 'KH', title: 'KH gate', citations: ['Act art. 2', 'Act art. 9', 'Act art. 10'] },
    });
    // Two grounds match a rescue under an MLAT: the first in file order is cited.
    expect(gateVerdict(GATE, 'MLAT', 'victim_rescue')).toStrictEqual({
      allowed: true,
      ref: { owner: 'KH', title: 'KH gate', citations: ['Act art. 1', 'Act art. 9', 'Act art. 10'] },
    });
  });

  test('a ground with no lists matches every transfer', () => {
    const open: DomesticGate = { ...GATE, grounds: [ground('all', 'Act art. 0', {})], requirements: [] };
    expect(gateVerdict(open, 'HIT_ONLY', 'strategic_analysis')).toStrictEqual({
      allowed: true,
      ref: { owner: 'KH', title: 'KH gate', citations: ['Act art. 0'] },
    });
  });
});
