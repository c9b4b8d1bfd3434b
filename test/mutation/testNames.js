/**
 * Mutation runs only: which tests each test file holds, recorded during StrykerJS's first run of every
 * test (no mutant active) by test/mutation/bailEnvironment.js and read by
 * test/mutation/fastFirstSequencer.js. For each mutant StrykerJS asks jest for the tests that cover it by
 * name (a test name pattern), and jest still loads every test file to look for them: with the record,
 * the sequencer leaves out the files that hold none of them, and a mutant costs the files that cover it.
 *
 * Kept as a file in the sandbox's root (every test runner process of a run shares the sandbox), one
 * entry per test file: `{ [testPath]: [full test name, …] }`.
 */
'use strict';
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const recordOf = (rootDir) => join(rootDir, '.mutation-test-names.json');

/** The record, or undefined when there is none (not a mutation run, or before its first run ended). */
function readTestNames(rootDir) {
  const file = recordOf(rootDir);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

function recordTestNames(rootDir, testPath, names) {
  const record = readTestNames(rootDir) ?? {};
  record[testPath] = names;
  writeFileSync(recordOf(rootDir), JSON.stringify(record));
}

/** A test's full name as jest matches a test name pattern against it (and StrykerJS names a test). */
function fullName(test) {
  const titles = [];
  for (let block = test.parent; block?.parent !== undefined; block = block.parent) titles.unshift(block.name);
  return [...titles, test.name].join(' ');
}

module.exports = { readTestNames, recordTestNames, fullName };
