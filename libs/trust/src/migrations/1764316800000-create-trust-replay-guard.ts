import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The replay guard table. One class for both databases: the DDL differs only in the integer
 * type, so it branches on the driver rather than keeping two migration sets in step.
 */
export class CreateTrustReplayGuard1764316800000 implements MigrationInterface {
  readonly name = 'CreateTrustReplayGuard1764316800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const bigint = queryRunner.connection.options.type === 'postgres' ? 'bigint' : 'integer';
    await queryRunner.query(
      `CREATE TABLE "trust_replay_guard" (
        "partner" varchar(16) NOT NULL,
        "jti" varchar(128) NOT NULL,
        "received_at" ${bigint} NOT NULL,
        "expires_at" ${bigint} NOT NULL,
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
