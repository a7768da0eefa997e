CREATE TABLE "file_blobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"content_type" text NOT NULL,
	"file_name" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "svc_application_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"on_behalf_of" text,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "svc_application_materials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"material_key" text NOT NULL,
	"kind" text NOT NULL,
	"blob_id" uuid,
	"file_name" text,
	"content_type" text,
	"size" integer,
	"sha256" text,
	"certificate_type" text,
	"certificate_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "svc_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"item_version" integer NOT NULL,
	"item_code" text NOT NULL,
	"item_name" text NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"district_code" text,
	"mode" text NOT NULL,
	"applicant_id" uuid NOT NULL,
	"applicant_kind" text NOT NULL,
	"applicant_name" text NOT NULL,
	"agent_id" uuid,
	"state" text DEFAULT 'draft' NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"submitted_at" timestamp with time zone,
	"clock_started_at" timestamp with time zone,
	"due_date" text,
	"due_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"claimed_by" uuid,
	"claimed_by_name" text,
	"claimed_at" timestamp with time zone,
	"auto" jsonb,
	"decision" jsonb,
	"last_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "svc_auto_rules" (
	"item_id" uuid PRIMARY KEY NOT NULL,
	"rule" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "svc_no_action_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"period" text NOT NULL,
	"outcome" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "svc_notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"application_id" uuid,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "svc_proxy_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"principal_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"relation" text NOT NULL,
	"item_ids" uuid[],
	"expires_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "svc_ratings" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"applicant_id" uuid NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"score" integer NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "file_blobs_sha256_idx" ON "file_blobs" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "svc_application_events_app_idx" ON "svc_application_events" USING btree ("application_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "svc_application_materials_uq" ON "svc_application_materials" USING btree ("application_id","material_key");--> statement-breakpoint
CREATE INDEX "svc_applications_applicant_idx" ON "svc_applications" USING btree ("applicant_id","created_at");--> statement-breakpoint
CREATE INDEX "svc_applications_agent_idx" ON "svc_applications" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "svc_applications_owner_idx" ON "svc_applications" USING btree ("owner_org_id","state","due_at");--> statement-breakpoint
CREATE INDEX "svc_applications_item_idx" ON "svc_applications" USING btree ("item_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "svc_no_action_checks_uq" ON "svc_no_action_checks" USING btree ("item_id","user_id","period");--> statement-breakpoint
CREATE INDEX "svc_notifications_user_idx" ON "svc_notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "svc_proxy_grants_agent_idx" ON "svc_proxy_grants" USING btree ("agent_id","principal_id");--> statement-breakpoint
CREATE INDEX "svc_proxy_grants_principal_idx" ON "svc_proxy_grants" USING btree ("principal_id");--> statement-breakpoint
CREATE INDEX "svc_ratings_owner_idx" ON "svc_ratings" USING btree ("owner_org_id");