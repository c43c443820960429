export * from './repo-paths.js';
export * from './env-settings.js';
export * from './gateway-settings.js';
