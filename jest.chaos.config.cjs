/** Fault-injection suites (npm run test:chaos): long, and they restart RabbitMQ, so not part of npm test. */
const base = require('./jest.config.cjs');
const { displayName: _d, testMatch: _t, ...common } = base.projects[0];
module.exports = { ...common, displayName: 'chaos', maxWorkers: 1, testMatch: ['<rootDir>/test/chaos/**/*.chaos-spec.ts'] };
