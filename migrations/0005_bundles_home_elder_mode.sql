CREATE TABLE "svc_bundle_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bundle_id" uuid NOT NULL,
	"bundle_code" text NOT NULL,
	"bundle_name" text NOT NULL,
	"applicant_id" uuid NOT NULL,
	"applicant_kind" text NOT NULL,
	"applicant_name" text NOT NULL,
	"agent_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"submitted_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "svc_life_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"event" text NOT NULL,
	"event_date" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "elder_mode" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "svc_applications" ADD COLUMN "bundle_application_id" uuid;--> statement-breakpoint
CREATE INDEX "svc_bundle_applications_applicant_idx" ON "svc_bundle_applications" USING btree ("applicant_id","created_at");--> statement-breakpoint
CREATE INDEX "svc_bundle_applications_agent_idx" ON "svc_bundle_applications" USING btree ("agent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "svc_life_events_uq" ON "svc_life_events" USING btree ("user_id","event","event_date");--> statement-breakpoint
CREATE INDEX "svc_applications_bundle_idx" ON "svc_applications" USING btree ("bundle_application_id");