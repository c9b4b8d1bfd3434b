/**
 * The shipped agreement set's policy, loaded on first use inside a test rather than when the test file is
 * imported. Loading at import runs the loader, the bounds checks and the index outside any test, and the
 * mutation run (`npm run mutate`, StrykerJS with per-test coverage) must then run every test for each of
 * their mutants (it calls them "static"); loaded here, they are charged to the tests that load them.
 *
 * Loaded once per call: later tests of the file reuse it, as they did before.
 */
import { loadDefaultPolicy, type Policy } from '../../policy';

export function shippedPolicy(): Policy {
  return lazyPolicy(loadDefaultPolicy);
}

/** Any policy, made on first use inside a test (for the same reason), once per call of this. */
export function lazyPolicy(make: () => Policy): Policy {
  let loaded: Policy | undefined;
  const policy = (): Policy => (loaded ??= make());
  return {
    get revision() {
      return policy().revision;
    },
    get set() {
      return policy().set;
    },
    decide: (input) => policy().decide(input),
    explain: (input) => policy().explain(input),
    recordDecidedById: (input) => policy().recordDecidedById(input),
  };
}
