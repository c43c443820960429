export * from './repo-paths.js';
