import { AeoRegisterStore } from './aeo-register-store.js';
import { ForeignAeoEntity, ForeignAeoHistoryEntity, HomeAeoEntity, HomeAeoHistoryEntity } from './registry.entities.js';

/** Partners' AEOs as they told us, with full history. */
export const foreignRegister = new AeoRegisterStore(ForeignAeoEntity, ForeignAeoHistoryEntity);

/** Our own (KZ-SRC) AEOs: the source of every outbound delta and snapshot. */
export const homeRegister = new AeoRegisterStore(HomeAeoEntity, HomeAeoHistoryEntity);
