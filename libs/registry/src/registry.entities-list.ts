import { ForeignAeoEntity, ForeignAeoHistoryEntity, HomeAeoEntity, HomeAeoHistoryEntity } from './registry.entities.js';

export const REGISTRY_ENTITIES = [ForeignAeoEntity, ForeignAeoHistoryEntity, HomeAeoEntity, HomeAeoHistoryEntity];
