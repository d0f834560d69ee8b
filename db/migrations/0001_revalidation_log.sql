CREATE TABLE "revalidations" (
	"id" serial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"tags" text[] NOT NULL,
	"mode" varchar(16) NOT NULL,
	"source" varchar(16) NOT NULL,
	"actor" varchar(200) NOT NULL,
	"delivery_id" varchar(200),
	"change" varchar(100),
	CONSTRAINT "revalidations_delivery_id_unique" UNIQUE("delivery_id")
);
--> statement-breakpoint
CREATE INDEX "revalidations_at_idx" ON "revalidations" USING btree ("at" DESC NULLS LAST);