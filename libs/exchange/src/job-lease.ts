import { EntitySchema, type DataSource } from 'typeorm';

/** One row per singleton job (scheduled snapshots, ...): who holds it and until when. */
export interface JobLeaseRow {
  name: string;
  holder: string;
  leaseUntil: number;
}

const millis = { to: (v: number) => v, from: (v: string | number) => Number(v) };

export const JobLeaseEntity = new EntitySchema<JobLeaseRow>({
  name: 'JobLease',
  tableName: 'job_lease',
  columns: {
    name: { type: String, length: 64, primary: true },
    holder: { type: String, length: 64 },
    leaseUntil: { name: 'lease_until', type: 'bigint', transformer: millis },
  },
});

/**
 * Singleton jobs across gateway instances: a job runs where its lease was won. Taking a lease
 * is one conditional write (only if the lease has expired), so exactly one taker wins each
 * period whatever the timing — including a second attempt by the same instance.
 */
export async function tryTakeLease(dataSource: DataSource, name: string, holder: string, now: number, durationMs: number): Promise<boolean> {
  // Make sure the row exists (a no-op when it does), then let one conditional update decide.
  await dataSource.createQueryBuilder().insert().into(JobLeaseEntity).values({ name, holder: '', leaseUntil: 0 }).orIgnore().execute();
  const result = await dataSource
    .createQueryBuilder()
    .update(JobLeaseEntity)
    .set({ holder, leaseUntil: now + durationMs })
    .where('name = :name AND lease_until <= :now', { name, now })
    .execute();
  return result.affected === 1;
}
