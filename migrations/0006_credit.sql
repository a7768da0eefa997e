CREATE TABLE "credit_authorities" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"org_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_batch_rows" (
	"batch_id" uuid NOT NULL,
	"row" integer NOT NULL,
	"values" jsonb NOT NULL,
	"valid" boolean NOT NULL,
	"problems" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"org_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"state" text DEFAULT 'validated' NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"valid" integer DEFAULT 0 NOT NULL,
	"invalid" integer DEFAULT 0 NOT NULL,
	"published" integer,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "credit_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"secret_enc" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event" text NOT NULL,
	"repair_id" uuid,
	"endpoint_id" uuid NOT NULL,
	"endpoint_name" text NOT NULL,
	"url" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 8 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"last_status" integer,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'published' NOT NULL,
	"record" jsonb NOT NULL,
	"doc_no" text NOT NULL,
	"authority_code" text NOT NULL,
	"org_id" uuid NOT NULL,
	"batch_id" uuid,
	"subject_name" text NOT NULL,
	"subject_category" text NOT NULL,
	"subject_code" text NOT NULL,
	"subject_key" text NOT NULL,
	"decision_date" date NOT NULL,
	"severity" text,
	"repairable_from" date,
	"publication_ends" date,
	"search_vector" "tsvector" NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "credit_regimes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"severity" text NOT NULL,
	"min_months" integer NOT NULL,
	"max_months" integer NOT NULL,
	"effective_from" date NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "credit_repair_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"repair_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "credit_repair_materials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"repair_id" uuid NOT NULL,
	"key" text NOT NULL,
	"blob_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_repairs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"penalty_id" uuid NOT NULL,
	"decider_org_id" uuid NOT NULL,
	"applicant_id" uuid NOT NULL,
	"applicant_org_id" uuid NOT NULL,
	"subject_code" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"statement" text NOT NULL,
	"commitment_text" text NOT NULL,
	"commitment_accepted_at" timestamp with time zone NOT NULL,
	"accept_due" date,
	"decide_due" date,
	"submitted_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"handling_days" integer,
	"on_time" boolean,
	"last_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "credit_authorities_org_idx" ON "credit_authorities" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_batch_rows_pk" ON "credit_batch_rows" USING btree ("batch_id","row");--> statement-breakpoint
CREATE INDEX "credit_batch_rows_invalid_idx" ON "credit_batch_rows" USING btree ("batch_id","valid","row");--> statement-breakpoint
CREATE INDEX "credit_batches_org_idx" ON "credit_batches" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "credit_outbox_due_idx" ON "credit_outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "credit_outbox_repair_idx" ON "credit_outbox" USING btree ("repair_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_records_doc_uq" ON "credit_records" USING btree ("kind","authority_code","doc_no");--> statement-breakpoint
CREATE INDEX "credit_records_subject_idx" ON "credit_records" USING btree ("subject_key","status");--> statement-breakpoint
CREATE INDEX "credit_records_subject_code_idx" ON "credit_records" USING btree ("subject_code");--> statement-breakpoint
CREATE INDEX "credit_records_org_idx" ON "credit_records" USING btree ("org_id","kind","status");--> statement-breakpoint
CREATE INDEX "credit_records_expiry_idx" ON "credit_records" USING btree ("status","publication_ends");--> statement-breakpoint
CREATE INDEX "credit_records_search_idx" ON "credit_records" USING gin ("search_vector");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_regimes_uq" ON "credit_regimes" USING btree ("effective_from","severity");--> statement-breakpoint
CREATE INDEX "credit_repair_events_repair_idx" ON "credit_repair_events" USING btree ("repair_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_repair_materials_uq" ON "credit_repair_materials" USING btree ("repair_id","key");--> statement-breakpoint
CREATE INDEX "credit_repairs_penalty_idx" ON "credit_repairs" USING btree ("penalty_id","state");--> statement-breakpoint
CREATE INDEX "credit_repairs_decider_idx" ON "credit_repairs" USING btree ("decider_org_id","state");--> statement-breakpoint
CREATE INDEX "credit_repairs_applicant_idx" ON "credit_repairs" USING btree ("applicant_org_id","created_at");