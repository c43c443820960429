import { DialectMigration } from '@aeo/persistence';

/** Leases for singleton jobs (scheduled snapshots) across gateway instances. */
export class CreateJobLease1764300002000 extends DialectMigration {
  readonly name = 'CreateJobLease1764300002000';

  protected readonly sqlite = [`CREATE TABLE "job_lease" ("name" varchar(64) PRIMARY KEY NOT NULL, "holder" varchar(64) NOT NULL, "lease_until" bigint NOT NULL)`];

  protected readonly postgres = [
    `CREATE TABLE "job_lease" ("name" character varying(64) NOT NULL, "holder" character varying(64) NOT NULL, "lease_until" bigint NOT NULL, CONSTRAINT "PK_4ba41bcbd31fa652feaf93252ca" PRIMARY KEY ("name"))`,
  ];

  protected readonly down_ = [`DROP TABLE "job_lease"`];
}
