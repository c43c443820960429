import { DialectMigration } from '@aeo/persistence';

/** Chunks of partners' full snapshots, so the last chunk can reconcile the register. */
export class CreateSnapshotChunk1764300003000 extends DialectMigration {
  readonly name = 'CreateSnapshotChunk1764300003000';

  protected readonly sqlite = [
    `CREATE TABLE "inbound_snapshot_chunk" ("partner" varchar(16) NOT NULL, "snapshot_id" varchar(36) NOT NULL, "chunk_index" integer NOT NULL, "chunk_count" integer NOT NULL, "environment" varchar(16) NOT NULL, "record_keys" text NOT NULL, "received_at" bigint NOT NULL, PRIMARY KEY ("partner", "snapshot_id", "chunk_index"))`,
  ];

  protected readonly postgres = [
    `CREATE TABLE "inbound_snapshot_chunk" ("partner" character varying(16) NOT NULL, "snapshot_id" character varying(36) NOT NULL, "chunk_index" integer NOT NULL, "chunk_count" integer NOT NULL, "environment" character varying(16) NOT NULL, "record_keys" text NOT NULL, "received_at" bigint NOT NULL, CONSTRAINT "PK_a158fa022b452b41a9f8a298026" PRIMARY KEY ("partner", "snapshot_id", "chunk_index"))`,
  ];

  protected readonly down_ = [`DROP TABLE "inbound_snapshot_chunk"`];
}
