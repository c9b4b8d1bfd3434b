/**
 * Mutation runs only: runs the test files in a fixed order, quickest and most pointed first, so that with
 * test/mutation/bailEnvironment.js a killed mutant stops after the cheapest failing test. (Jest's own
 * order puts the slowest files first.) When asked for tests by name (StrykerJS: the tests that cover a
 * mutant), it leaves out the files that hold none of them (test/mutation/testNames.js).
 */
'use strict';
const Sequencer = require('@jest/test-sequencer').default;
const { readTestNames } = require('./testNames');

const ORDER = [
  // Unit tests of the decision core on a small set, each test pointed at one branch.
  'failedConditions',
  'gateVerdict',
  'recordDecidedById',
  'unmetConditions',
  'decide-core',
  'dates-grades',
  'refusal',
  'scenario',
  'grants',
  'route-headers',
  'requestHeaders',
  'requestHeaders-exact',
  'kindBounds-units',
  'kind-bounds',
  'freeText-exact',
  'justification',
  'loader-units',
  'loader',
  'crossCheck-more',
  'explain',
  'policyIndex',
  'engine',
  'model',
  'invariants',
];
const rank = (path) => {
  const index = ORDER.findIndex((name) => path.endsWith(`/${name}.test.ts`));
  return index === -1 ? ORDER.length : index;
};

class FastFirstSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.globalConfig = options.globalConfig;
  }

  sort(tests) {
    const sorted = [...tests].sort((a, b) => rank(a.path) - rank(b.path));
    const pattern = this.globalConfig.testNamePattern;
    const names = pattern ? readTestNames(this.globalConfig.rootDir) : undefined;
    if (names === undefined) return sorted;
    // Jest matches the pattern the same way (case-insensitive, against the full name). A file the record
    // does not know is kept.
    const wanted = new RegExp(pattern, 'i');
    return sorted.filter((test) => names[test.path]?.some((name) => wanted.test(name)) ?? true);
  }
}

module.exports = FastFirstSequencer;
