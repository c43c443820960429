import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A migration written once per supported database. The statements start from what
 * `scripts/schema-sql.ts` prints for the entities (so `migrations:check` finds no drift)
 * and are then reviewed and committed; triggers and other hand-written DDL are added here too.
 */
export abstract class DialectMigration implements MigrationInterface {
  abstract readonly name: string;
  protected abstract readonly sqlite: readonly string[];
  protected abstract readonly postgres: readonly string[];
  /** Undo, in reverse order of creation; the same statements work on both databases. */
  protected abstract readonly down_: readonly string[];

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = queryRunner.connection.options.type === 'postgres' ? this.postgres : this.sqlite;
    for (const sql of statements) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of this.down_) await queryRunner.query(sql);
  }
}
