export { createKrAdapter } from './kr-adapter.js';
