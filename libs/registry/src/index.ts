export * from './registry.entities.js';
export * from './registry.entities-list.js';
export * from './aeo-register-store.js';
export * from './registers.js';
export { CreateRegisters1764300000000 } from './migrations.js';
import { CreateRegisters1764300000000 } from './migrations.js';
export const REGISTRY_MIGRATIONS = [CreateRegisters1764300000000];
export * from './mra-config.js';
export * from './recognition/index.js';
