import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The replay guard table; the same DDL serves SQLite and PostgreSQL. */
export class CreateTrustReplayGuard1764316800000 implements MigrationInterface {
  readonly name = 'CreateTrustReplayGuard1764316800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "trust_replay_guard" (
        "partner" varchar(16) NOT NULL,
        "jti" varchar(128) NOT NULL,
        "received_at" bigint NOT NULL,
        "expires_at" bigint NOT NULL,
        CONSTRAINT "pk_trust_replay_guard" PRIMARY KEY ("partner", "jti")
      )`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_trust_replay_guard_expires_at" ON "trust_replay_guard" ("expires_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_trust_replay_guard_expires_at"`);
    await queryRunner.query(`DROP TABLE "trust_replay_guard"`);
  }
}
