/**
 * Mutation runs only: runs the test files in a fixed order, quickest and most pointed first, so that with
 * test/mutation/bailEnvironment.js a killed mutant stops after the cheapest failing test. (Jest's own
 * order puts the slowest files first.)
 */
'use strict';
const Sequencer = require('@jest/test-sequencer').default;

const ORDER = [
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
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path));
  }
}

module.exports = FastFirstSequencer;
