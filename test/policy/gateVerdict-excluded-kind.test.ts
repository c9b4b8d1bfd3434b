/**
 * A domestic gate whose requirement leaves out one kind of legal basis (policy/gateVerdict.ts): a ground
 * lets every transfer through, and the requirement must still stop the kind it leaves out, whichever kind
 * that is (EMERGENCY included: a gate that stops emergencies is a real design, and a verdict that skipped
 * requirements for them went unseen while no shipped gate had one). Expectations are written out here.
 */
import { gateVerdict, type DomesticGate, type GateGround } from '../../policy';
import { LEGAL_BASIS_KINDS, PURPOSES } from '../../vocabulary';

const source = { file: 'domestic/xx.yaml', line: 1 };

function gateWithout(excluded: (typeof LEGAL_BASIS_KINDS)[number]): DomesticGate {
  const everything: GateGround = { id: 'any', citation: 'Act art. 1', source };
  const requirement: GateGround = {
    id: 'not-one',
    citation: 'Act art. 2',
    bases: LEGAL_BASIS_KINDS.filter((kind) => kind !== excluded),
    source,
  };
  return {
    owner: 'XX',
    title: 'XX gate',
    law: 'XX Test Act',
    grounds: [everything],
    requirements: [requirement],
    source,
  };
}

describe('a gate requirement that leaves out one kind', () => {
  test.each([...LEGAL_BASIS_KINDS])(
    'stops %s, for every purpose, citing that requirement only',
    (excluded) => {
      const gate = gateWithout(excluded);
      for (const purpose of PURPOSES) {
        expect(gateVerdict(gate, excluded, purpose)).toStrictEqual({
          allowed: false,
          failure: {
            kind: 'domesticGate',
            owner: 'XX',
            citations: ['Act art. 2'],
            text: `allowed by the agreement, but XX gate requires Act art. 2, which does not allow it for a ${excluded} transfer for ${purpose}`,
          },
        });
      }
    },
  );

  test.each([...LEGAL_BASIS_KINDS])('lets every other kind through when it leaves out %s', (excluded) => {
    const gate = gateWithout(excluded);
    for (const kind of LEGAL_BASIS_KINDS.filter((item) => item !== excluded)) {
      for (const purpose of PURPOSES) {
        expect(gateVerdict(gate, kind, purpose)).toStrictEqual({
          allowed: true,
          ref: { owner: 'XX', title: 'XX gate', citations: ['Act art. 1', 'Act art. 2'] },
        });
      }
    }
  });

  test('the second requirement counts as much as the first', () => {
    const gate = gateWithout('EMERGENCY');
    const second: GateGround = {
      id: 'no-analysis',
      citation: 'Act art. 3',
      purposes: PURPOSES.filter((purpose) => purpose !== 'strategic_analysis'),
      source,
    };
    const both: DomesticGate = { ...gate, requirements: [...gate.requirements, second] };
    expect(gateVerdict(both, 'JIT', 'strategic_analysis')).toStrictEqual({
      allowed: false,
      failure: {
        kind: 'domesticGate',
        owner: 'XX',
        citations: ['Act art. 3'],
        text: 'allowed by the agreement, but XX gate requires Act art. 3, which does not allow it for a JIT transfer for strategic_analysis',
      },
    });
    expect(gateVerdict(both, 'JIT', 'investigation')).toStrictEqual({
      allowed: true,
      ref: { owner: 'XX', title: 'XX gate', citations: ['Act art. 1', 'Act art. 2', 'Act art. 3'] },
    });
  });
});
