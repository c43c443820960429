import { DialectMigration } from '@aeo/persistence';

/** The outbox (outbound messages and their states) and the inbound idempotency table. */
export class CreateExchange1764300001000 extends DialectMigration {
  readonly name = 'CreateExchange1764300001000';

  protected readonly sqlite = [
    `CREATE TABLE "outbound_message" ("message_id" varchar(36) PRIMARY KEY NOT NULL, "environment" varchar(16) NOT NULL, "partner" varchar(16) NOT NULL, "message_type" varchar(32) NOT NULL, "routing_key" varchar(64) NOT NULL, "correlation_id" varchar(36), "body" text NOT NULL, "body_sha256" varchar(64) NOT NULL, "state" varchar(16) NOT NULL, "attempts" integer NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "next_attempt_at" bigint NOT NULL, "lease_until" bigint NOT NULL, "expects_receipt" boolean NOT NULL, "sent_at" bigint, "receipt_due_at" bigint, "settled_at" bigint, "receipt_message_id" varchar(36), "reason_code" varchar(64), "aeo_ids" text)`,
    `CREATE INDEX "ix_outbound_due" ON "outbound_message" ("state", "next_attempt_at")`,
    `CREATE INDEX "ix_outbound_partner_state" ON "outbound_message" ("partner", "state")`,
    `CREATE TABLE "inbound_message" ("partner" varchar(16) NOT NULL, "message_id" varchar(36) NOT NULL, "environment" varchar(16) NOT NULL, "message_type" varchar(32) NOT NULL, "received_at" bigint NOT NULL, "body_sha256" varchar(64) NOT NULL, "outcome" varchar(24) NOT NULL, "receipt_message_id" varchar(36), PRIMARY KEY ("partner", "message_id"))`,
  ];

  protected readonly postgres = [
    `CREATE TABLE "outbound_message" ("message_id" character varying(36) NOT NULL, "environment" character varying(16) NOT NULL, "partner" character varying(16) NOT NULL, "message_type" character varying(32) NOT NULL, "routing_key" character varying(64) NOT NULL, "correlation_id" character varying(36), "body" text NOT NULL, "body_sha256" character varying(64) NOT NULL, "state" character varying(16) NOT NULL, "attempts" integer NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "next_attempt_at" bigint NOT NULL, "lease_until" bigint NOT NULL, "expects_receipt" boolean NOT NULL, "sent_at" bigint, "receipt_due_at" bigint, "settled_at" bigint, "receipt_message_id" character varying(36), "reason_code" character varying(64), "aeo_ids" text, CONSTRAINT "PK_f0d164175605c712cb5d8ffe77c" PRIMARY KEY ("message_id"))`,
    `CREATE INDEX "ix_outbound_due" ON "outbound_message" ("state", "next_attempt_at")`,
    `CREATE INDEX "ix_outbound_partner_state" ON "outbound_message" ("partner", "state")`,
    `CREATE TABLE "inbound_message" ("partner" character varying(16) NOT NULL, "message_id" character varying(36) NOT NULL, "environment" character varying(16) NOT NULL, "message_type" character varying(32) NOT NULL, "received_at" bigint NOT NULL, "body_sha256" character varying(64) NOT NULL, "outcome" character varying(24) NOT NULL, "receipt_message_id" character varying(36), CONSTRAINT "PK_fcb1884151dfd162b1e91b1c8fb" PRIMARY KEY ("partner", "message_id"))`,
  ];

  protected readonly down_ = [
    `DROP TABLE "inbound_message"`,
    `DROP INDEX "ix_outbound_partner_state"`,
    `DROP INDEX "ix_outbound_due"`,
    `DROP TABLE "outbound_message"`,
  ];
}
