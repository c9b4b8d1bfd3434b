/**
 * Mutation runs only (stryker.config.json `jest.config.testEnvironment`): once a test has failed on the
 * active mutant, every later test of that run fails at once instead of running. One failing test is enough
 * to count a mutant as killed; jest has no programmatic bail, and without this a killed mutant of the
 * decision core still runs every test that covers it, the differential test's shrinking included. Outside
 * a mutation run (no active mutant) it is jest's node environment, unchanged.
 */
'use strict';
const { existsSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const NodeEnvironment = require('jest-environment-node').TestEnvironment;
const { fullName, recordTestNames } = require('./testNames');

const killedFlag = () => {
  const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
  return mutant === undefined ? undefined : join(tmpdir(), `accord-mutant-${process.pid}-${mutant}.killed`);
};

class BailEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    this.rootDir = config.projectConfig.rootDir;
    this.testPath = context.testPath;
    this.testNames = [];
  }

  async handleTestEvent(event, state) {
    await super.handleTestEvent?.(event, state);
    const flag = killedFlag();
    if (flag === undefined) {
      // The first run, every test and no mutant: note which tests this file holds (test/mutation/testNames.js).
      if (event.name === 'test_start') this.testNames.push(fullName(event.test));
      return;
    }
    if (event.name === 'test_start' && existsSync(flag)) {
      event.test.fn = () => {
        throw new Error('An earlier test already failed on this mutant.');
      };
    }
    if (event.name === 'test_done' && event.test.errors.length > 0) writeFileSync(flag, '');
  }

  async teardown() {
    if (killedFlag() === undefined) recordTestNames(this.rootDir, this.testPath, this.testNames);
    await super.teardown();
  }
}

module.exports = BailEnvironment;
