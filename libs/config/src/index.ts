export * from './repo-paths.js';
export * from './env-settings.js';
export * from './gateway-settings.js';
export * from './rate-limit-settings.js';
