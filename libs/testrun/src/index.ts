export * from './scenario.js';
export * from './report.js';
export * from './report-schema.js';
export * from './render-html.js';
export * from './coverage.js';
export * from './latency.js';
export * from './runner.js';
export * from './write-report.js';
export { MISBEHAVIOURS, type Misbehaviour, type MisbehaviourKind } from './steps.js';
