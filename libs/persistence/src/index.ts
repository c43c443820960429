export * from './database-url.js';
export * from './data-source.js';
export * from './dialect-migration.js';
