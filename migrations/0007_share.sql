CREATE TABLE "share_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instance" text NOT NULL,
	"class" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"level" text NOT NULL,
	"org_id" uuid,
	"external" boolean DEFAULT false NOT NULL,
	"contact" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_resource_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resource_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"state" text NOT NULL,
	"changed_by" uuid,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "share_resources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"draft_version" integer,
	"state" text DEFAULT 'draft' NOT NULL,
	"provider_member_id" uuid NOT NULL,
	"provider_org_id" uuid,
	"provider_subsystem_id" uuid,
	"category" text NOT NULL,
	"basic_kind" text,
	"classification" text DEFAULT '' NOT NULL,
	"name" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"format" text NOT NULL,
	"items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sharing_type" text NOT NULL,
	"sharing_condition" text,
	"sharing_method" text NOT NULL,
	"opening_type" text NOT NULL,
	"update_cycle" text NOT NULL,
	"publish_date" date,
	"related_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"grade" text NOT NULL,
	"legal_basis" text,
	"search_vector" "tsvector" NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_subsystems" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_connectors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resource_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"config_sealed" text NOT NULL,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"mode" text DEFAULT 'incremental' NOT NULL,
	"change_column" text,
	"watermark" text,
	"schedule_seconds" integer,
	"enabled" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"last_load_id" uuid,
	"last_error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_datasets" (
	"resource_id" uuid PRIMARY KEY NOT NULL,
	"table_name" text NOT NULL,
	"columns" jsonb NOT NULL,
	"key_columns" jsonb NOT NULL,
	"row_count" bigint DEFAULT 0 NOT NULL,
	"last_loaded_at" timestamp with time zone,
	"change_watermark" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "share_datasets_table_name_unique" UNIQUE("table_name")
);
--> statement-breakpoint
CREATE TABLE "share_load_rejects" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "share_load_rejects_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"load_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"problems" jsonb NOT NULL,
	"raw" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_loads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resource_id" uuid NOT NULL,
	"provider_org_id" uuid,
	"source" text NOT NULL,
	"mode" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"batch_id" text,
	"connector_id" uuid,
	"file_name" text,
	"format" text,
	"file_path" text,
	"bytes_total" bigint DEFAULT 0 NOT NULL,
	"bytes_read" bigint DEFAULT 0 NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"rows_loaded" integer DEFAULT 0 NOT NULL,
	"rows_rejected" integer DEFAULT 0 NOT NULL,
	"rows_inserted" integer DEFAULT 0 NOT NULL,
	"rows_updated" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "share_objections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resource_id" uuid NOT NULL,
	"provider_org_id" uuid,
	"record_key" text NOT NULL,
	"column" text NOT NULL,
	"description" text NOT NULL,
	"value_at_raise" text,
	"state" text DEFAULT 'raised' NOT NULL,
	"raised_by" uuid,
	"raised_org_id" uuid,
	"answer" text,
	"accepted" boolean,
	"answered_by" uuid,
	"answered_at" timestamp with time zone,
	"corrected_load_id" uuid,
	"corrected_at" timestamp with time zone,
	"resolve_note" text,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_quality_results" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "share_quality_results_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"load_id" uuid NOT NULL,
	"resource_id" uuid NOT NULL,
	"rule_id" uuid,
	"kind" text NOT NULL,
	"column" text,
	"severity" text NOT NULL,
	"checked" integer NOT NULL,
	"failed" integer NOT NULL,
	"passed" boolean NOT NULL,
	"threshold" real NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_quality_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resource_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"column" text,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"threshold" real DEFAULT 0 NOT NULL,
	"severity" text DEFAULT 'error' NOT NULL,
	"derived" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_calls" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"consumer_subsystem_id" uuid,
	"consumer_xroad_id" text,
	"consumer_member_id" uuid,
	"consumer_org_id" uuid,
	"service_id" text NOT NULL,
	"resource_code" text NOT NULL,
	"resource_id" uuid,
	"provider_org_id" uuid,
	"grant_id" uuid,
	"operation" text NOT NULL,
	"request_params" jsonb NOT NULL,
	"status" integer NOT NULL,
	"error_code" text,
	"rows" integer DEFAULT 0 NOT NULL,
	"response_bytes" integer DEFAULT 0 NOT NULL,
	"response_at" timestamp (3) with time zone NOT NULL,
	"duration_ms" integer NOT NULL,
	"request_hash" text NOT NULL,
	"response_hash" text NOT NULL,
	"binding_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"grant_id" uuid NOT NULL,
	"consumer_subsystem_id" uuid NOT NULL,
	"resource_code" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"where" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"fields" text[] NOT NULL,
	"rows" bigint DEFAULT 0 NOT NULL,
	"bytes" bigint DEFAULT 0 NOT NULL,
	"file_location" text,
	"sha256" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_gateway_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subsystem_id" uuid NOT NULL,
	"subsystem_xroad_id" text NOT NULL,
	"api_key_id" uuid NOT NULL,
	"key_prefix" text NOT NULL,
	"service_user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "share_grant_minutes" (
	"grant_id" uuid NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "share_grant_minutes_grant_id_minute_pk" PRIMARY KEY("grant_id","minute")
);
--> statement-breakpoint
CREATE TABLE "share_grant_usage" (
	"grant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	"rows" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "share_grant_usage_grant_id_day_pk" PRIMARY KEY("grant_id","day")
);
--> statement-breakpoint
CREATE TABLE "share_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid,
	"consumer_member_id" uuid NOT NULL,
	"consumer_subsystem_id" uuid NOT NULL,
	"consumer_org_id" uuid,
	"consumer_xroad_id" text NOT NULL,
	"resource_id" uuid NOT NULL,
	"resource_code" text NOT NULL,
	"provider_org_id" uuid,
	"service_id" text NOT NULL,
	"fields" text[] NOT NULL,
	"clear_fields" text[] DEFAULT '{}'::text[] NOT NULL,
	"row_filter" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"purpose" text NOT NULL,
	"quota_per_day" integer NOT NULL,
	"rate_per_minute" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"revoke_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "share_request_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"step_id" uuid,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_user_id" uuid,
	"target_member_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_request_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"assignee_member_id" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"due_date" date NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"working_days" integer NOT NULL,
	"answered_at" timestamp with time zone,
	"outcome" text,
	"reason" text,
	"recorded_by" uuid,
	"recorded_from" jsonb,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"last_escalated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "share_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"resource_id" uuid,
	"demand_title" text,
	"demand_description" text,
	"provider_member_id" uuid,
	"provider_level" text,
	"consumer_member_id" uuid NOT NULL,
	"consumer_subsystem_id" uuid NOT NULL,
	"scenario" text NOT NULL,
	"fields" text[] NOT NULL,
	"approved_fields" text[],
	"purpose" text NOT NULL,
	"legal_basis" text NOT NULL,
	"row_filter" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"state" text NOT NULL,
	"current_step" text,
	"needs_publication" boolean DEFAULT false NOT NULL,
	"terms" jsonb,
	"decision_reason" text,
	"grant_id" uuid,
	"created_by" uuid,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	"answer_days" integer,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "share_resource_versions" ADD CONSTRAINT "share_resource_versions_resource_id_share_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."share_resources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_resources" ADD CONSTRAINT "share_resources_provider_member_id_share_members_id_fk" FOREIGN KEY ("provider_member_id") REFERENCES "public"."share_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_subsystems" ADD CONSTRAINT "share_subsystems_member_id_share_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."share_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "share_members_xroad_uq" ON "share_members" USING btree ("instance","class","code");--> statement-breakpoint
CREATE INDEX "share_members_org_idx" ON "share_members" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "share_members_level_idx" ON "share_members" USING btree ("level","external");--> statement-breakpoint
CREATE UNIQUE INDEX "share_resource_versions_uq" ON "share_resource_versions" USING btree ("resource_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "share_resources_code_uq" ON "share_resources" USING btree ("code");--> statement-breakpoint
CREATE INDEX "share_resources_state_idx" ON "share_resources" USING btree ("state","code");--> statement-breakpoint
CREATE INDEX "share_resources_provider_idx" ON "share_resources" USING btree ("provider_member_id","state");--> statement-breakpoint
CREATE INDEX "share_resources_provider_org_idx" ON "share_resources" USING btree ("provider_org_id");--> statement-breakpoint
CREATE INDEX "share_resources_facets_idx" ON "share_resources" USING btree ("category","grade","sharing_type");--> statement-breakpoint
CREATE INDEX "share_resources_search_idx" ON "share_resources" USING gin ("search_vector");--> statement-breakpoint
CREATE UNIQUE INDEX "share_subsystems_member_code_uq" ON "share_subsystems" USING btree ("member_id","code");--> statement-breakpoint
CREATE INDEX "share_connectors_resource_idx" ON "share_connectors" USING btree ("resource_id");--> statement-breakpoint
CREATE INDEX "share_connectors_due_idx" ON "share_connectors" USING btree ("next_run_at");--> statement-breakpoint
CREATE INDEX "share_load_rejects_load_idx" ON "share_load_rejects" USING btree ("load_id","row_number");--> statement-breakpoint
CREATE INDEX "share_loads_resource_idx" ON "share_loads" USING btree ("resource_id","created_at");--> statement-breakpoint
CREATE INDEX "share_loads_state_idx" ON "share_loads" USING btree ("state");--> statement-breakpoint
CREATE UNIQUE INDEX "share_loads_batch_uq" ON "share_loads" USING btree ("resource_id","batch_id") WHERE "share_loads"."batch_id" is not null;--> statement-breakpoint
CREATE INDEX "share_objections_resource_idx" ON "share_objections" USING btree ("resource_id","state");--> statement-breakpoint
CREATE INDEX "share_objections_raised_org_idx" ON "share_objections" USING btree ("raised_org_id","created_at");--> statement-breakpoint
CREATE INDEX "share_objections_provider_idx" ON "share_objections" USING btree ("provider_org_id","created_at");--> statement-breakpoint
CREATE INDEX "share_quality_results_load_idx" ON "share_quality_results" USING btree ("load_id");--> statement-breakpoint
CREATE INDEX "share_quality_results_resource_idx" ON "share_quality_results" USING btree ("resource_id","created_at");--> statement-breakpoint
CREATE INDEX "share_quality_rules_resource_idx" ON "share_quality_rules" USING btree ("resource_id");--> statement-breakpoint
CREATE INDEX "share_calls_grant_idx" ON "share_calls" USING btree ("grant_id","at");--> statement-breakpoint
CREATE INDEX "share_calls_consumer_idx" ON "share_calls" USING btree ("consumer_subsystem_id","at");--> statement-breakpoint
CREATE INDEX "share_calls_at_idx" ON "share_calls" USING btree ("at");--> statement-breakpoint
CREATE INDEX "share_calls_provider_idx" ON "share_calls" USING btree ("provider_org_id","at");--> statement-breakpoint
CREATE INDEX "share_calls_consumer_org_idx" ON "share_calls" USING btree ("consumer_org_id","at");--> statement-breakpoint
CREATE INDEX "share_exports_consumer_idx" ON "share_exports" USING btree ("consumer_subsystem_id","created_at");--> statement-breakpoint
CREATE INDEX "share_exports_state_idx" ON "share_exports" USING btree ("state","expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "share_gateway_keys_api_key_idx" ON "share_gateway_keys" USING btree ("api_key_id");--> statement-breakpoint
CREATE INDEX "share_gateway_keys_subsystem_idx" ON "share_gateway_keys" USING btree ("subsystem_id","created_at");--> statement-breakpoint
CREATE INDEX "share_grant_minutes_minute_idx" ON "share_grant_minutes" USING btree ("minute");--> statement-breakpoint
CREATE INDEX "share_grants_consumer_idx" ON "share_grants" USING btree ("consumer_subsystem_id","resource_code");--> statement-breakpoint
CREATE INDEX "share_grants_consumer_member_idx" ON "share_grants" USING btree ("consumer_member_id","created_at");--> statement-breakpoint
CREATE INDEX "share_grants_resource_idx" ON "share_grants" USING btree ("resource_id","created_at");--> statement-breakpoint
CREATE INDEX "share_grants_consumer_org_idx" ON "share_grants" USING btree ("consumer_org_id");--> statement-breakpoint
CREATE INDEX "share_grants_provider_org_idx" ON "share_grants" USING btree ("provider_org_id");--> statement-breakpoint
CREATE INDEX "share_request_events_request_idx" ON "share_request_events" USING btree ("request_id","at");--> statement-breakpoint
CREATE INDEX "share_request_events_kind_idx" ON "share_request_events" USING btree ("kind","at");--> statement-breakpoint
CREATE INDEX "share_request_steps_request_idx" ON "share_request_steps" USING btree ("request_id","started_at");--> statement-breakpoint
CREATE INDEX "share_request_steps_open_idx" ON "share_request_steps" USING btree ("due_at") WHERE "share_request_steps"."answered_at" is null;--> statement-breakpoint
CREATE INDEX "share_request_steps_assignee_idx" ON "share_request_steps" USING btree ("assignee_member_id") WHERE "share_request_steps"."answered_at" is null;--> statement-breakpoint
CREATE INDEX "share_requests_state_idx" ON "share_requests" USING btree ("state","submitted_at");--> statement-breakpoint
CREATE INDEX "share_requests_provider_idx" ON "share_requests" USING btree ("provider_member_id","state");--> statement-breakpoint
CREATE INDEX "share_requests_consumer_idx" ON "share_requests" USING btree ("consumer_member_id","state");--> statement-breakpoint
CREATE INDEX "share_requests_resource_idx" ON "share_requests" USING btree ("resource_id","state");--> statement-breakpoint
CREATE INDEX "share_requests_answered_idx" ON "share_requests" USING btree ("provider_level","answered_at") WHERE "share_requests"."answer_days" is not null;