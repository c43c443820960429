export * from './exchange-runtime.js';
export * from './trust-ports.js';
