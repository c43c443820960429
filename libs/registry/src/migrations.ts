import { DialectMigration } from '@aeo/persistence';

/** The home and foreign AEO registers and their histories. */
export class CreateRegisters1764300000000 extends DialectMigration {
  readonly name = 'CreateRegisters1764300000000';

  protected readonly sqlite = [
    `CREATE TABLE "foreign_aeo" ("environment" varchar(16) NOT NULL, "programme" varchar(16) NOT NULL, "aeo_id_normalized" varchar(64) NOT NULL, "record_version" bigint NOT NULL, "status" varchar(24) NOT NULL, "authorisation_type" varchar(32) NOT NULL, "record_json" text NOT NULL, "last_changed_at" varchar(32) NOT NULL, "stored_at" bigint NOT NULL, "source" varchar(64) NOT NULL, "source_message_id" varchar(64), PRIMARY KEY ("environment", "programme", "aeo_id_normalized"))`,
    `CREATE TABLE "foreign_aeo_history" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "environment" varchar(16) NOT NULL, "programme" varchar(16) NOT NULL, "aeo_id_normalized" varchar(64) NOT NULL, "record_version" bigint NOT NULL, "status" varchar(24) NOT NULL, "authorisation_type" varchar(32) NOT NULL, "record_json" text NOT NULL, "last_changed_at" varchar(32) NOT NULL, "stored_at" bigint NOT NULL, "source" varchar(64) NOT NULL, "source_message_id" varchar(64), "change" varchar(32) NOT NULL)`,
    `CREATE INDEX "ix_foreign_aeo_history_key" ON "foreign_aeo_history" ("environment", "programme", "aeo_id_normalized", "stored_at")`,
    `CREATE TABLE "home_aeo" ("environment" varchar(16) NOT NULL, "programme" varchar(16) NOT NULL, "aeo_id_normalized" varchar(64) NOT NULL, "record_version" bigint NOT NULL, "status" varchar(24) NOT NULL, "authorisation_type" varchar(32) NOT NULL, "record_json" text NOT NULL, "last_changed_at" varchar(32) NOT NULL, "stored_at" bigint NOT NULL, "source" varchar(64) NOT NULL, "source_message_id" varchar(64), PRIMARY KEY ("environment", "programme", "aeo_id_normalized"))`,
    `CREATE TABLE "home_aeo_history" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "environment" varchar(16) NOT NULL, "programme" varchar(16) NOT NULL, "aeo_id_normalized" varchar(64) NOT NULL, "record_version" bigint NOT NULL, "status" varchar(24) NOT NULL, "authorisation_type" varchar(32) NOT NULL, "record_json" text NOT NULL, "last_changed_at" varchar(32) NOT NULL, "stored_at" bigint NOT NULL, "source" varchar(64) NOT NULL, "source_message_id" varchar(64), "change" varchar(32) NOT NULL)`,
    `CREATE INDEX "ix_home_aeo_history_key" ON "home_aeo_history" ("environment", "programme", "aeo_id_normalized", "stored_at")`,
  ];

  protected readonly postgres = [
    `CREATE TABLE "foreign_aeo" ("environment" character varying(16) NOT NULL, "programme" character varying(16) NOT NULL, "aeo_id_normalized" character varying(64) NOT NULL, "record_version" bigint NOT NULL, "status" character varying(24) NOT NULL, "authorisation_type" character varying(32) NOT NULL, "record_json" text NOT NULL, "last_changed_at" character varying(32) NOT NULL, "stored_at" bigint NOT NULL, "source" character varying(64) NOT NULL, "source_message_id" character varying(64), CONSTRAINT "PK_6553f86a4e1f42f385a69b6c8c4" PRIMARY KEY ("environment", "programme", "aeo_id_normalized"))`,
    `CREATE TABLE "foreign_aeo_history" ("id" SERIAL NOT NULL, "environment" character varying(16) NOT NULL, "programme" character varying(16) NOT NULL, "aeo_id_normalized" character varying(64) NOT NULL, "record_version" bigint NOT NULL, "status" character varying(24) NOT NULL, "authorisation_type" character varying(32) NOT NULL, "record_json" text NOT NULL, "last_changed_at" character varying(32) NOT NULL, "stored_at" bigint NOT NULL, "source" character varying(64) NOT NULL, "source_message_id" character varying(64), "change" character varying(32) NOT NULL, CONSTRAINT "PK_a83833ab982631eaab6dcc94e68" PRIMARY KEY ("id"))`,
    `CREATE INDEX "ix_foreign_aeo_history_key" ON "foreign_aeo_history" ("environment", "programme", "aeo_id_normalized", "stored_at")`,
    `CREATE TABLE "home_aeo" ("environment" character varying(16) NOT NULL, "programme" character varying(16) NOT NULL, "aeo_id_normalized" character varying(64) NOT NULL, "record_version" bigint NOT NULL, "status" character varying(24) NOT NULL, "authorisation_type" character varying(32) NOT NULL, "record_json" text NOT NULL, "last_changed_at" character varying(32) NOT NULL, "stored_at" bigint NOT NULL, "source" character varying(64) NOT NULL, "source_message_id" character varying(64), CONSTRAINT "PK_935aa8e51979218b88dbc9447cb" PRIMARY KEY ("environment", "programme", "aeo_id_normalized"))`,
    `CREATE TABLE "home_aeo_history" ("id" SERIAL NOT NULL, "environment" character varying(16) NOT NULL, "programme" character varying(16) NOT NULL, "aeo_id_normalized" character varying(64) NOT NULL, "record_version" bigint NOT NULL, "status" character varying(24) NOT NULL, "authorisation_type" character varying(32) NOT NULL, "record_json" text NOT NULL, "last_changed_at" character varying(32) NOT NULL, "stored_at" bigint NOT NULL, "source" character varying(64) NOT NULL, "source_message_id" character varying(64), "change" character varying(32) NOT NULL, CONSTRAINT "PK_2db6c7e3dec483cf50f2354a7fd" PRIMARY KEY ("id"))`,
    `CREATE INDEX "ix_home_aeo_history_key" ON "home_aeo_history" ("environment", "programme", "aeo_id_normalized", "stored_at")`,
  ];

  protected readonly down_ = [
    `DROP INDEX "ix_home_aeo_history_key"`,
    `DROP TABLE "home_aeo_history"`,
    `DROP TABLE "home_aeo"`,
    `DROP INDEX "ix_foreign_aeo_history_key"`,
    `DROP TABLE "foreign_aeo_history"`,
    `DROP TABLE "foreign_aeo"`,
  ];
}
