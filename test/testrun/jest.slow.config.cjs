/**
 * The test-run kit's disruptive suite: the broker-restart scenario stops and starts the local
 * RabbitMQ, which every process on the machine shares, so it is not part of `npm test`. Run:
 *   node --experimental-vm-modules node_modules/jest/bin/jest.js -c test/testrun/jest.slow.config.cjs
 */
const { resolve } = require('node:path');
const base = require('../../jest.config.cjs');
const { displayName: _d, testMatch: _t, ...common } = base.projects[1];
module.exports = {
  ...common,
  rootDir: resolve(__dirname, '../..'),
  displayName: 'testrun-slow',
  maxWorkers: 1,
  testMatch: ['<rootDir>/test/testrun/**/*.slow-spec.ts'],
};
