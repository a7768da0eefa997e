CREATE TABLE "cert_certificates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type_id" uuid NOT NULL,
	"issuer_org_id" uuid NOT NULL,
	"serial" bigint NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"identifier" text NOT NULL,
	"number" text NOT NULL,
	"holder_name" text NOT NULL,
	"holder_code_enc" text NOT NULL,
	"holder_code_hash" text NOT NULL,
	"holder_code_masked" text NOT NULL,
	"holder_code_type" text NOT NULL,
	"issued_on" text NOT NULL,
	"valid_from" text NOT NULL,
	"valid_until" text,
	"jurisdiction" text NOT NULL,
	"fields" jsonb NOT NULL,
	"status" text DEFAULT 'valid' NOT NULL,
	"status_list_id" integer NOT NULL,
	"status_index" integer NOT NULL,
	"import_id" uuid,
	"is_demo" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cert_import_rejects" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cert_import_rejects_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"import_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"field" text NOT NULL,
	"reason" text NOT NULL,
	"raw" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cert_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type_id" uuid NOT NULL,
	"issuer_org_id" uuid NOT NULL,
	"format" text NOT NULL,
	"file_name" text NOT NULL,
	"file_path" text,
	"state" text DEFAULT 'queued' NOT NULL,
	"bytes_total" bigint DEFAULT 0 NOT NULL,
	"bytes_read" bigint DEFAULT 0 NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"rows_issued" integer DEFAULT 0 NOT NULL,
	"rows_duplicate" integer DEFAULT 0 NOT NULL,
	"rows_rejected" integer DEFAULT 0 NOT NULL,
	"last_row" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "cert_serials" (
	"type_id" uuid NOT NULL,
	"issuer_org_id" uuid NOT NULL,
	"next" bigint DEFAULT 1 NOT NULL,
	CONSTRAINT "cert_serials_type_id_issuer_org_id_pk" PRIMARY KEY("type_id","issuer_org_id")
);
--> statement-breakpoint
CREATE TABLE "cert_status_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cert_status_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"certificate_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cert_status_lists" (
	"id" integer PRIMARY KEY NOT NULL,
	"size" integer NOT NULL,
	"next_index" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"token_version" integer,
	"token" text,
	"token_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cert_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"department_org_id" uuid NOT NULL,
	"holder_kind" text NOT NULL,
	"fields" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cert_types_code_unique" UNIQUE("code"),
	CONSTRAINT "cert_types_name_zh_unique" UNIQUE("name_zh")
);
--> statement-breakpoint
CREATE TABLE "wallet_consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"certificate_id" text NOT NULL,
	"certificate_type_name" text NOT NULL,
	"identifier" text NOT NULL,
	"issuer_name" text NOT NULL,
	"valid_until" text,
	"verified_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wallet_credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"holding_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"identifier" text NOT NULL,
	"holder_thumbprint" text NOT NULL,
	"holder_jwk" jsonb NOT NULL,
	"credential_enc" text NOT NULL,
	"issuer_kid" text NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wallet_holdings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"certificate_id" text NOT NULL,
	"identifier" text NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wallet_presentations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"handle" text NOT NULL,
	"user_id" uuid NOT NULL,
	"presentation_enc" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "wallet_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"nonce" text NOT NULL,
	"audience" text NOT NULL,
	"fields" text[] NOT NULL,
	"purpose" text NOT NULL,
	"vct" text,
	"verifier_org_id" uuid,
	"verifier_user_id" uuid,
	"verifier_api_key_id" uuid,
	"verifier_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "wallet_verifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid,
	"verifier_org_id" uuid,
	"verifier_user_id" uuid,
	"verifier_name" text NOT NULL,
	"purpose" text,
	"holder_user_id" uuid,
	"certificate_id" text,
	"identifier" text,
	"certificate_name" text,
	"issuer" text,
	"fields" text[] NOT NULL,
	"valid" boolean NOT NULL,
	"reason" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "code_cards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"ref" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "code_policies" (
	"scenario" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"discloses" jsonb NOT NULL,
	"requires" jsonb NOT NULL,
	"refuse_health" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "code_scans" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"terminal_id" uuid NOT NULL,
	"terminal_name" text NOT NULL,
	"scenario" text NOT NULL,
	"place" text NOT NULL,
	"district" text,
	"sub" text,
	"issuer" text,
	"user_id" uuid,
	"decision" text NOT NULL,
	"reason" text NOT NULL,
	"kid" text,
	"trust_list" text
);
--> statement-breakpoint
CREATE TABLE "code_seen" (
	"cti" text PRIMARY KEY NOT NULL,
	"exp" timestamp with time zone NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "code_subjects" (
	"sub" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"health" text DEFAULT 'green' NOT NULL,
	"frozen_at" timestamp with time zone,
	"valid_from" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "code_terminals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"place" text NOT NULL,
	"district" text,
	"owner_org_id" uuid NOT NULL,
	"scenario" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"api_key_id" uuid,
	"key_prefix" text,
	"service_user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"deactivated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "trust_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"platform_id" text NOT NULL,
	"org_code" text NOT NULL,
	"use" text NOT NULL,
	"kid" text NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"private_key" text NOT NULL,
	"state" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"retired_at" timestamp with time zone,
	"retired_by" uuid
);
--> statement-breakpoint
CREATE TABLE "trust_lists" (
	"platform_id" text NOT NULL,
	"seq" integer NOT NULL,
	"jws" text NOT NULL,
	"list" jsonb NOT NULL,
	"signer_kid" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"next_update" timestamp with time zone NOT NULL,
	"cause" text NOT NULL,
	CONSTRAINT "trust_lists_platform_id_seq_pk" PRIMARY KEY("platform_id","seq")
);
--> statement-breakpoint
CREATE TABLE "trust_partners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"url" text,
	"platform_id" text NOT NULL,
	"pinned_jwk" jsonb NOT NULL,
	"pinned_kid" text NOT NULL,
	"jws" text NOT NULL,
	"list" jsonb NOT NULL,
	"seq" integer NOT NULL,
	"last_fetched_at" timestamp with time zone,
	"accepted_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"untrusted_reason" text,
	"deactivated_at" timestamp with time zone,
	"deactivated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "seal_ca" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject" text NOT NULL,
	"serial" text NOT NULL,
	"cert_pem" text NOT NULL,
	"key_enc" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"state" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "seal_decision_documents" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"blob_id" uuid NOT NULL,
	"signing_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "seal_seals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"ca_id" uuid NOT NULL,
	"serial" text NOT NULL,
	"cert_pem" text NOT NULL,
	"key_enc" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"state" text DEFAULT 'active' NOT NULL,
	"replaces_id" uuid,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "seal_signings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seal_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"input_sha256" text NOT NULL,
	"document_sha256" text NOT NULL,
	"file_name" text NOT NULL,
	"size" integer NOT NULL,
	"page" integer NOT NULL,
	"purpose" text NOT NULL,
	"application_id" uuid,
	"signer_id" uuid,
	"signer_name" text NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "cert_certificates_identifier_uq" ON "cert_certificates" USING btree ("identifier");--> statement-breakpoint
CREATE UNIQUE INDEX "cert_certificates_natural_uq" ON "cert_certificates" USING btree ("type_id","number","holder_code_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "cert_certificates_slot_uq" ON "cert_certificates" USING btree ("status_list_id","status_index");--> statement-breakpoint
CREATE INDEX "cert_certificates_holder_idx" ON "cert_certificates" USING btree ("holder_code_hash");--> statement-breakpoint
CREATE INDEX "cert_certificates_issuer_idx" ON "cert_certificates" USING btree ("issuer_org_id","created_at");--> statement-breakpoint
CREATE INDEX "cert_certificates_type_idx" ON "cert_certificates" USING btree ("type_id","created_at");--> statement-breakpoint
CREATE INDEX "cert_certificates_marked_idx" ON "cert_certificates" USING btree ("status_list_id") WHERE status <> 'valid';--> statement-breakpoint
CREATE INDEX "cert_certificates_import_idx" ON "cert_certificates" USING btree ("import_id") WHERE import_id is not null;--> statement-breakpoint
CREATE INDEX "cert_import_rejects_import_idx" ON "cert_import_rejects" USING btree ("import_id","row_number");--> statement-breakpoint
CREATE INDEX "cert_imports_issuer_idx" ON "cert_imports" USING btree ("issuer_org_id","created_at");--> statement-breakpoint
CREATE INDEX "cert_status_events_cert_idx" ON "cert_status_events" USING btree ("certificate_id","at");--> statement-breakpoint
CREATE INDEX "cert_types_department_idx" ON "cert_types" USING btree ("department_org_id");--> statement-breakpoint
CREATE INDEX "wallet_consents_user_cert_idx" ON "wallet_consents" USING btree ("user_id","certificate_id","verified_at");--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_credentials_holding_key_uq" ON "wallet_credentials" USING btree ("holding_id","holder_thumbprint");--> statement-breakpoint
CREATE INDEX "wallet_credentials_identifier_idx" ON "wallet_credentials" USING btree ("identifier","holder_thumbprint");--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_holdings_user_cert_uq" ON "wallet_holdings" USING btree ("user_id","certificate_id");--> statement-breakpoint
CREATE INDEX "wallet_holdings_identifier_idx" ON "wallet_holdings" USING btree ("identifier");--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_presentations_handle_uq" ON "wallet_presentations" USING btree ("handle");--> statement-breakpoint
CREATE INDEX "wallet_presentations_expires_idx" ON "wallet_presentations" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_requests_code_uq" ON "wallet_requests" USING btree ("code");--> statement-breakpoint
CREATE INDEX "wallet_verifications_holder_idx" ON "wallet_verifications" USING btree ("holder_user_id","at");--> statement-breakpoint
CREATE INDEX "wallet_verifications_org_idx" ON "wallet_verifications" USING btree ("verifier_org_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "code_cards_user_kind_idx" ON "code_cards" USING btree ("user_id","kind");--> statement-breakpoint
CREATE INDEX "code_scans_user_idx" ON "code_scans" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "code_scans_at_idx" ON "code_scans" USING btree ("at");--> statement-breakpoint
CREATE INDEX "code_scans_terminal_idx" ON "code_scans" USING btree ("terminal_id","at");--> statement-breakpoint
CREATE INDEX "code_seen_exp_idx" ON "code_seen" USING btree ("exp");--> statement-breakpoint
CREATE UNIQUE INDEX "code_subjects_user_idx" ON "code_subjects" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "code_terminals_api_key_idx" ON "code_terminals" USING btree ("api_key_id");--> statement-breakpoint
CREATE INDEX "code_terminals_scenario_idx" ON "code_terminals" USING btree ("scenario","active");--> statement-breakpoint
CREATE INDEX "code_terminals_created_idx" ON "code_terminals" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "trust_keys_kid_uq" ON "trust_keys" USING btree ("kid");--> statement-breakpoint
CREATE UNIQUE INDEX "trust_keys_current_uq" ON "trust_keys" USING btree ("platform_id","org_code","use") WHERE "trust_keys"."state" = 'current';--> statement-breakpoint
CREATE INDEX "trust_keys_list_idx" ON "trust_keys" USING btree ("platform_id","not_after");--> statement-breakpoint
CREATE INDEX "trust_keys_org_idx" ON "trust_keys" USING btree ("platform_id","org_code","use","created_at");--> statement-breakpoint
CREATE INDEX "trust_partners_platform_idx" ON "trust_partners" USING btree ("platform_id");--> statement-breakpoint
CREATE UNIQUE INDEX "trust_partners_active_uq" ON "trust_partners" USING btree ("platform_id") WHERE "trust_partners"."deactivated_at" is null;--> statement-breakpoint
CREATE INDEX "trust_partners_created_idx" ON "trust_partners" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "seal_ca_serial_idx" ON "seal_ca" USING btree ("serial");--> statement-breakpoint
CREATE INDEX "seal_ca_state_idx" ON "seal_ca" USING btree ("state");--> statement-breakpoint
CREATE UNIQUE INDEX "seal_seals_serial_idx" ON "seal_seals" USING btree ("serial");--> statement-breakpoint
CREATE INDEX "seal_seals_org_idx" ON "seal_seals" USING btree ("org_id","state");--> statement-breakpoint
CREATE INDEX "seal_seals_created_idx" ON "seal_seals" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "seal_signings_seal_idx" ON "seal_signings" USING btree ("seal_id","signed_at");--> statement-breakpoint
CREATE INDEX "seal_signings_org_idx" ON "seal_signings" USING btree ("org_id","signed_at");--> statement-breakpoint
CREATE INDEX "seal_signings_doc_idx" ON "seal_signings" USING btree ("document_sha256");