-- Issue 14: notifications for end users (audience 'user') and delivery by Telegram.
-- (No semicolons inside comments: the migration engine splits statements on them.)
ALTER TABLE "notifications" ADD COLUMN "user_id" INTEGER;
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "notifications_audience_user_id_id_idx" ON "notifications"("audience", "user_id", "id");

-- A user's Telegram chat, bound by /start with a one-time code. blocked_at: the user blocked the bot (403).
CREATE TABLE "telegram_links" (
    "user_id" INTEGER NOT NULL,
    "chat_id" BIGINT NOT NULL,
    "tg_username" TEXT,
    "linked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "blocked_at" TIMESTAMPTZ(3),
    CONSTRAINT "telegram_links_pkey" PRIMARY KEY ("user_id"),
    CONSTRAINT "telegram_links_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- One-time link codes: only their SHA-256 is kept (the code is shown once), 15 minutes, single use.
CREATE TABLE "telegram_link_codes" (
    "code_hash" TEXT NOT NULL,
    "user_id" INTEGER NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "telegram_link_codes_pkey" PRIMARY KEY ("code_hash"),
    CONSTRAINT "telegram_link_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "telegram_link_codes_user_id_idx" ON "telegram_link_codes"("user_id");

-- Which events a user wants by Telegram: event id to on/off, a missing id means the catalogue's default.
CREATE TABLE "notification_preferences" (
    "user_id" INTEGER NOT NULL,
    "events" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("user_id"),
    CONSTRAINT "notification_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- One Telegram message per (notification, user): the unique key is the per-event dedupe.
CREATE TABLE "telegram_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "notification_id" BIGINT NOT NULL,
    "user_id" INTEGER NOT NULL,
    "chat_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'message',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "message_id" BIGINT,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    CONSTRAINT "telegram_deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "telegram_deliveries_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "telegram_deliveries_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "telegram_deliveries_status_check" CHECK (status IN ('pending', 'sent', 'blocked', 'failed', 'skipped')),
    CONSTRAINT "telegram_deliveries_kind_check" CHECK (kind IN ('message', 'document'))
);
CREATE UNIQUE INDEX "telegram_deliveries_notification_id_user_id_kind_key" ON "telegram_deliveries"("notification_id", "user_id", "kind");

-- The Bot API limits shared by every worker process (like nodes.rate_next_at, docs/decisions/010):
-- key 'global' (about 30 messages a second) and 'chat:<id>' (about 1 a second), GCRA next slot.
CREATE TABLE "telegram_rate" (
    "key" TEXT NOT NULL,
    "next_at" TIMESTAMPTZ(6) NOT NULL,
    CONSTRAINT "telegram_rate_pkey" PRIMARY KEY ("key")
);

-- Every new notification, whoever inserts it (notify(), the periodic set-based pass, any later
-- path), gets one telegram_fanout job in the same transaction, but only when someone it is
-- addressed to has linked an unblocked chat: a hub without Telegram queues nothing.
CREATE FUNCTION "telegram_fanout_on_notification"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM telegram_links l JOIN users u ON u.id = l.user_id
        WHERE l.blocked_at IS NULL AND u.status = 'active' AND (
            (NEW.audience = 'admin' AND u.role = 'admin')
            OR (NEW.audience = 'reseller' AND EXISTS (SELECT 1 FROM resellers r WHERE r.id = NEW.reseller_id AND r.user_id = u.id))
            OR (NEW.audience = 'user' AND u.id = NEW.user_id)
        )
    ) THEN
        PERFORM graphile_worker.add_job('telegram_fanout', json_build_object('notificationId', NEW.id::text),
            job_key := 'telegram_fanout:' || NEW.id, max_attempts := 5);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER "notifications_telegram_fanout" AFTER INSERT ON "notifications"
    FOR EACH ROW EXECUTE FUNCTION "telegram_fanout_on_notification"();

-- "Node back" finds the node's last "down" notification (app/services/notifications.server.ts).
CREATE INDEX "notifications_node_down_idx" ON "notifications"((("data"->>'nodeId')::int), "id") WHERE "kind" = 'node_unreachable';
