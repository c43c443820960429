/**
 * Fault-injection suites (npm run test:chaos, see test/chaos/exchange-under-faults.chaos-spec.ts
 * for the CHAOS_* settings): long, and by default they restart the local RabbitMQ, so not part
 * of npm test. One file at a time: the faults must not hit another suite's gateway.
 */
const base = require('./jest.config.cjs');
const { displayName: _d, testMatch: _t, ...common } = base.projects[0];
module.exports = { ...common, displayName: 'chaos', maxWorkers: 1, testMatch: ['<rootDir>/test/chaos/**/*.chaos-spec.ts'] };
