// The reference world's output, pinned. Stores seeded by an older generator are reseeded only when
// WORLD_VERSION changes (subgraphs/reference/store.ts), so a change to what the generator produces that
// does not bump it leaves members serving records of two different worlds. This test notices any such
// change: refactoring the generator must keep every byte.
//
// To change generation on purpose: bump WORLD_VERSION (subgraphs/reference/world/options.ts), then put the
// new version and the hashes this test prints on failure below.
//
// The inputs are fixed, the members too: the pin is the generator's, not the registry's, so a member
// joining the registry does not move it. 'ZZ' is a member without a country profile (the fallback).
import { createHash } from 'node:crypto';
import { createWorld, WORLD_VERSION } from '../../subgraphs/reference';

const PINNED = {
  worldVersion: 1,
  options: { seed: 5, size: 200, members: ['KR', 'KH', 'TH', 'PH', 'VN', 'ZZ'] },
  /** sha256 of JSON.stringify(world.share(member)), written by the generator before its split into files. */
  shares: {
    KR: 'dbb457ebcfeb61f00d9ce323107602916873ee292c47860f24b633e48d018cfa',
    KH: 'a4a152a6c64205ac1a9087c6b7ceb87a9e1a6c4fe2cc70c6fd4f37b6c3ab663c',
    TH: '3b778bf0ebdef6d3657f8c571fbc659cdd8a9dc68af85ac07151a5e3d21a4bdf',
    PH: 'a11d240ff0e5dcbd43181aa89f50f2c69227c5e7e1f0de0d547da72271ba3c54',
    VN: 'a8795a825780c7a53a18443c8abd3675fac9da2ba2e55c4b45755f490559c79d',
    ZZ: '3e02d45f0ce571b082c36955dc7c7d7b33f443f1665119e0a7aca5cbd768ed0e',
  } as Record<string, string>,
};

describe('the reference world, pinned', () => {
  it('generates, for fixed options, exactly the shares pinned for its WORLD_VERSION', () => {
    const world = createWorld(PINNED.options);
    const shares = Object.fromEntries(
      world.members.map((member) => [
        member,
        createHash('sha256')
          .update(JSON.stringify(world.share(member)))
          .digest('hex'),
      ]),
    );
    const current = { worldVersion: WORLD_VERSION, shares };
    const expected = { worldVersion: PINNED.worldVersion, shares: PINNED.shares };
    if (JSON.stringify(current) !== JSON.stringify(expected)) {
      throw new Error(
        'The reference world changed. If that was meant, bump WORLD_VERSION and pin what it generates now:\n' +
          JSON.stringify(current, null, 2),
      );
    }
  });
});
