import type { DataSource } from 'typeorm';
import type { MraConfig } from '../mra-config.js';
import { partnerProgrammesFromProfiles, type PartnerProgrammes } from './partner-programmes.js';
import { RecognitionIndex, type RecognitionIndexOptions } from './recognition-index.js';
import { RecognitionService } from './recognition-service.js';
import { TypeormRecognitionSource } from './typeorm-recognition-source.js';

export interface RecognitionSetup extends RecognitionIndexOptions {
  readonly dataSource: DataSource;
  /** The MRA configurations, read on every decision (a Map for fixed ones, a function when they can change). */
  readonly mraConfigs: ReadonlyMap<string, MraConfig> | (() => ReadonlyMap<string, MraConfig>);
  /** Defaults to the eaeu, cn, kr and tr partner profiles. */
  readonly partners?: readonly PartnerProgrammes[];
}

/** The service wired to the database: what the HTTP endpoint, the CLI and the AMQP lookup call. */
export function createRecognitionService(setup: RecognitionSetup): RecognitionService {
  const source = new TypeormRecognitionSource(setup.dataSource);
  const { mraConfigs } = setup;
  return new RecognitionService({
    index: new RecognitionIndex(source, setup),
    source,
    partners: setup.partners ?? partnerProgrammesFromProfiles(),
    mraConfigs: typeof mraConfigs === 'function' ? mraConfigs : () => mraConfigs,
    ...(setup.clock ? { clock: setup.clock } : {}),
  });
}
