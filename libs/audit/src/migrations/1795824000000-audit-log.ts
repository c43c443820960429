import type { MigrationInterface, QueryRunner } from 'typeorm';

const APPEND_ONLY_TABLES = ['audit_entry', 'audit_payload', 'audit_checkpoint'] as const;

/**
 * The audit log: entries, raw payloads, signed checkpoints, and the triggers that make all
 * three append-only. One class for both databases, branching on the driver; the table
 * definitions of the two entities are exactly what TypeORM's schema builder derives from
 * audit-entities.ts (the schema-drift test checks that).
 */
export class AuditLog1795824000000 implements MigrationInterface {
  readonly name = 'AuditLog1795824000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await this.upPostgres(queryRunner);
    } else {
      await this.upSqlite(queryRunner);
    }
  }

  private async upSqlite(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_entry" ("seq" bigint PRIMARY KEY NOT NULL, "recorded_at" bigint NOT NULL, "direction" varchar(8) NOT NULL, "partner" varchar(16), "message_id" varchar(200), "correlation_id" varchar(200), "aeo_id" varchar(100), "type" varchar(40) NOT NULL, "outcome" varchar(64) NOT NULL, "actor" varchar(200), "key_id" varchar(200), "payload_sha256" varchar(64), "details" text NOT NULL, "prev_hash" varchar(64) NOT NULL, "hash" varchar(64) NOT NULL)`,
    );
    await this.createEntryIndexes(queryRunner);
    await queryRunner.query(
      `CREATE TABLE "audit_checkpoint" ("seq" bigint PRIMARY KEY NOT NULL, "head_hash" varchar(64) NOT NULL, "created_at" bigint NOT NULL, "kid" varchar(200) NOT NULL, "jws" text NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_payload" ("sha256" varchar(64) PRIMARY KEY NOT NULL, "size" integer NOT NULL, "cipher" varchar(64), "stored_at" bigint NOT NULL, "bytes" blob NOT NULL)`,
    );
    for (const table of APPEND_ONLY_TABLES) {
      for (const operation of ['UPDATE', 'DELETE']) {
        await queryRunner.query(
          `CREATE TRIGGER "${table}_no_${operation.toLowerCase()}" BEFORE ${operation} ON "${table}" ` +
            `BEGIN SELECT RAISE(ABORT, '${table} is append-only: ${operation} refused'); END`,
        );
      }
    }
  }

  private async upPostgres(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_entry" ("seq" bigint NOT NULL, "recorded_at" bigint NOT NULL, "direction" character varying(8) NOT NULL, "partner" character varying(16), "message_id" character varying(200), "correlation_id" character varying(200), "aeo_id" character varying(100), "type" character varying(40) NOT NULL, "outcome" character varying(64) NOT NULL, "actor" character varying(200), "key_id" character varying(200), "payload_sha256" character varying(64), "details" text NOT NULL, "prev_hash" character varying(64) NOT NULL, "hash" character varying(64) NOT NULL, CONSTRAINT "PK_audit_entry" PRIMARY KEY ("seq"))`,
    );
    await this.createEntryIndexes(queryRunner);
    await queryRunner.query(
      `CREATE TABLE "audit_checkpoint" ("seq" bigint NOT NULL, "head_hash" character varying(64) NOT NULL, "created_at" bigint NOT NULL, "kid" character varying(200) NOT NULL, "jws" text NOT NULL, CONSTRAINT "PK_audit_checkpoint" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_payload" ("sha256" character varying(64) NOT NULL, "size" integer NOT NULL, "cipher" character varying(64), "stored_at" bigint NOT NULL, "bytes" bytea NOT NULL, CONSTRAINT "PK_audit_payload" PRIMARY KEY ("sha256"))`,
    );
    await queryRunner.query(
      `CREATE FUNCTION "audit_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$ ` +
        `BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation'; END $$`,
    );
    for (const table of APPEND_ONLY_TABLES) {
      await queryRunner.query(
        `CREATE TRIGGER "${table}_append_only" BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION "audit_refuse_change"()`,
      );
      // TRUNCATE bypasses row triggers, so it gets its own statement-level trigger.
      await queryRunner.query(
        `CREATE TRIGGER "${table}_no_truncate" BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse_change"()`,
      );
    }
  }

  private async createEntryIndexes(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_audit_entry_recorded_at" ON "audit_entry" ("recorded_at")`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_entry_partner_seq" ON "audit_entry" ("partner", "seq")`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_entry_aeo_id" ON "audit_entry" ("aeo_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_entry_message_id" ON "audit_entry" ("message_id")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_audit_entry_correlation_id" ON "audit_entry" ("correlation_id")`,
    );
  }

  /**
   * Reverting is only allowed on an empty log: the evidence is never dropped by a migration.
   * A non-empty log is archived (`mra audit export`) and removed by a DBA, deliberately.
   */
  async down(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query(`SELECT COUNT(*) AS "n" FROM "audit_entry"`)) as Array<{
      n: number | string;
    }>;
    if (Number(rows[0]?.n ?? 0) > 0) {
      throw new Error(
        'refusing to revert the audit-log migration: audit_entry is not empty (archive it first)',
      );
    }
    const postgres = queryRunner.connection.options.type === 'postgres';
    for (const table of APPEND_ONLY_TABLES) {
      if (postgres) {
        await queryRunner.query(`DROP TRIGGER "${table}_no_truncate" ON "${table}"`);
        await queryRunner.query(`DROP TRIGGER "${table}_append_only" ON "${table}"`);
      } else {
        await queryRunner.query(`DROP TRIGGER "${table}_no_update"`);
        await queryRunner.query(`DROP TRIGGER "${table}_no_delete"`);
      }
    }
    if (postgres) await queryRunner.query(`DROP FUNCTION "audit_refuse_change"()`);
    await queryRunner.query(`DROP TABLE "audit_payload"`);
    await queryRunner.query(`DROP TABLE "audit_checkpoint"`);
    await queryRunner.query(`DROP TABLE "audit_entry"`);
  }
}
