export * from './exchange-runtime.js';
export * from './trust-ports.js';
export * from './gateway-metrics.js';
