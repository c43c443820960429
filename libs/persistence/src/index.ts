export * from './database-url.js';
export * from './data-source.js';
export * from './dialect-migration.js';
export * from './sqlite-transaction-queue.js';
