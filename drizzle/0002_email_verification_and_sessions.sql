CREATE TABLE "auth_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "email_verification_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"email" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_verification_tokens" ADD CONSTRAINT "email_verification_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "auth_sessions_user_id_idx" ON "auth_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "email_verification_tokens_token_hash_key" ON "email_verification_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "email_verification_tokens_user_id_idx" ON "email_verification_tokens" USING btree ("user_id");--> statement-breakpoint
-- Existing accounts. Every linked Google/Apple identity was accepted only with a provider-verified
-- address, so those accounts count as verified; password-only accounts stay unverified until their
-- owner follows a verification link.
UPDATE "users" SET "email_verified_at" = now()
WHERE EXISTS (SELECT 1 FROM "oauth_accounts" o WHERE o."user_id" = "users"."id");--> statement-breakpoint
-- A password set before the identity was linked may be a squatter's (the pre-hijacking this release
-- closes): it is dropped and every session and token of the account ends, unless the password was set
-- through a reset link used after the link (which proves the mailbox). The owner signs in with the
-- provider, or sets a new password through "forgot password".
UPDATE "users" u SET "hashed_password" = NULL, "token_version" = u."token_version" + 1, "updated_at" = now()
WHERE u."hashed_password" IS NOT NULL
  AND EXISTS (SELECT 1 FROM "oauth_accounts" o WHERE o."user_id" = u."id" AND o."created_at" > u."created_at")
  AND NOT EXISTS (
    SELECT 1 FROM "password_reset_tokens" r
    WHERE r."user_id" = u."id" AND r."used_at" IS NOT NULL
      AND r."used_at" > (SELECT min(o."created_at") FROM "oauth_accounts" o WHERE o."user_id" = u."id")
  );
