ALTER TABLE "facts" ADD COLUMN "memory_indexed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "facts" ADD COLUMN "memory_check_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "facts" ADD COLUMN "memory_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "facts" ADD COLUMN "memory_last_error" text;--> statement-breakpoint
CREATE INDEX "facts_memory_check_at_idx" ON "facts" USING btree ("memory_check_at") WHERE "facts"."memory_check_at" is not null;--> statement-breakpoint
UPDATE "facts" SET "memory_check_at" = now() WHERE "memory_file_id" IS NOT NULL;
