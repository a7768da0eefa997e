CREATE TABLE "calendar_days" (
	"day" date PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "svc_bundle_items" (
	"bundle_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"field_map" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "svc_bundle_items_bundle_id_item_id_pk" PRIMARY KEY("bundle_id","item_id")
);
--> statement-breakpoint
CREATE TABLE "svc_bundles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"zone" text,
	"form" jsonb DEFAULT '{"fields":[]}'::jsonb NOT NULL,
	"status" text DEFAULT 'published' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "svc_hall_items" (
	"hall_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	CONSTRAINT "svc_hall_items_hall_id_item_id_pk" PRIMARY KEY("hall_id","item_id")
);
--> statement-breakpoint
CREATE TABLE "svc_halls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"district_org_id" uuid NOT NULL,
	"district_code" text NOT NULL,
	"name" text NOT NULL,
	"address" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "svc_item_versions" (
	"item_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" uuid,
	CONSTRAINT "svc_item_versions_item_id_version_pk" PRIMARY KEY("item_id","version")
);
--> statement-breakpoint
CREATE TABLE "svc_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"district_code" text,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"applicant_type" text NOT NULL,
	"legal_days" integer NOT NULL,
	"promised_days" integer NOT NULL,
	"mode" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"materials" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"form" jsonb DEFAULT '{"fields":[]}'::jsonb NOT NULL,
	"fees" jsonb DEFAULT '{"free":true,"items":[]}'::jsonb NOT NULL,
	"legal_basis" text DEFAULT '' NOT NULL,
	"zones" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer,
	"pending" jsonb,
	"popularity" integer DEFAULT 0 NOT NULL,
	"search_vector" "tsvector" NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "svc_synonyms" (
	"term" text PRIMARY KEY NOT NULL,
	"expansions" text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "svc_zones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"category" text NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE INDEX "svc_bundle_items_item_idx" ON "svc_bundle_items" USING btree ("item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "svc_bundles_code_uq" ON "svc_bundles" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "svc_bundles_name_uq" ON "svc_bundles" USING btree ("name");--> statement-breakpoint
CREATE INDEX "svc_hall_items_item_idx" ON "svc_hall_items" USING btree ("item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "svc_halls_district_uq" ON "svc_halls" USING btree ("district_code");--> statement-breakpoint
CREATE UNIQUE INDEX "svc_items_code_uq" ON "svc_items" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "svc_items_owner_name_uq" ON "svc_items" USING btree ("owner_org_id","name");--> statement-breakpoint
CREATE INDEX "svc_items_search_idx" ON "svc_items" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "svc_items_zones_idx" ON "svc_items" USING gin ("zones");--> statement-breakpoint
CREATE INDEX "svc_items_owner_idx" ON "svc_items" USING btree ("owner_org_id","status");--> statement-breakpoint
CREATE INDEX "svc_items_district_idx" ON "svc_items" USING btree ("district_code","status");--> statement-breakpoint
CREATE INDEX "svc_items_status_pop_idx" ON "svc_items" USING btree ("status","popularity");--> statement-breakpoint
CREATE UNIQUE INDEX "svc_zones_code_uq" ON "svc_zones" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "svc_zones_name_uq" ON "svc_zones" USING btree ("name");