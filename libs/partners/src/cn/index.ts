export { createCnAdapter } from './cn-adapter.js';
