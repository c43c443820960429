export * from './database-url.js';
export * from './data-source.js';
