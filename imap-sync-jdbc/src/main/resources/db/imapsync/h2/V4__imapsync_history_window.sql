-- imap-sync schema version 4 (h2): the window a folder's history was imported down to.
-- window_start: the start of the window (NULL for checkpoints written before this version: never widened);
-- lowest_uid: the UID its import has reached going down (1: complete; 0: no window).
-- Every statement is safe to run again.
ALTER TABLE imapsync_checkpoint ADD COLUMN IF NOT EXISTS window_start TIMESTAMP WITH TIME ZONE;
ALTER TABLE imapsync_checkpoint ADD COLUMN IF NOT EXISTS lowest_uid BIGINT DEFAULT 0 NOT NULL;
