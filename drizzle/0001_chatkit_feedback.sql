CREATE TABLE "chatkit_feedback" (
	"user_id" uuid NOT NULL,
	"thread_id" text NOT NULL,
	"item_id" text NOT NULL,
	"kind" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chatkit_feedback_user_id_thread_id_item_id_pk" PRIMARY KEY("user_id","thread_id","item_id")
);
--> statement-breakpoint
ALTER TABLE "chatkit_feedback" ADD CONSTRAINT "chatkit_feedback_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chatkit_feedback" ADD CONSTRAINT "chatkit_feedback_thread_id_chatkit_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."chatkit_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chatkit_feedback_kind_idx" ON "chatkit_feedback" USING btree ("kind","updated_at");