-- imap-sync schema version 5 (postgresql): what a contact page shows of a message without opening it, where a
-- UID can be trusted, and threads on every server. Every statement is safe to run again; also usable as a
-- Flyway/Liquibase migration. These columns are internal: read them through JdbcSyncStore (TimelineStore).

-- The folder's UIDVALIDITY when the message's UID was recorded (0: recorded before version 5, unknown).
ALTER TABLE imapsync_message ADD COLUMN IF NOT EXISTS uid_validity BIGINT DEFAULT 0 NOT NULL;

-- The preview, recorded for messages of matched contacts only. preview_text NULL: no preview was recorded
-- (other messages, or recorded before version 5); '' : the message has no readable text.
ALTER TABLE imapsync_message ADD COLUMN IF NOT EXISTS preview_text VARCHAR(1000);
ALTER TABLE imapsync_message ADD COLUMN IF NOT EXISTS preview_truncated BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE imapsync_message ADD COLUMN IF NOT EXISTS is_encrypted BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE imapsync_message ADD COLUMN IF NOT EXISTS is_signed BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE imapsync_message ADD COLUMN IF NOT EXISTS calendar_method VARCHAR(32);
-- The attachment list in the row it belongs to (one line per attachment, tab-separated escaped fields:
-- part, name, type, size, inline, content id): read with the page's messages without a join or a second
-- query, and gone with the message row when a person's messages are erased. Never searched in SQL.
ALTER TABLE imapsync_message ADD COLUMN IF NOT EXISTS attachments TEXT;

-- thread_id now holds a thread key for every server (gm:, tid: or ref:, see JdbcSyncStore); a commit re-keys
-- the threads a new message joins by this index.
CREATE INDEX IF NOT EXISTS imapsync_message_thread ON imapsync_message (thread_id);
