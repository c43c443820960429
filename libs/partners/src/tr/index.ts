export { createTrAdapter } from './tr-adapter.js';
export { YfksDirectory } from './tr-yfks.js';
