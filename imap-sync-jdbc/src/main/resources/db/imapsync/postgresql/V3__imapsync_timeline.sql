-- imap-sync schema, version 3: what a contact's timeline reads. Safe to run again: IF NOT EXISTS, and the
-- data statements skip the rows they already filled. Also usable as a Flyway/Liquibase migration.
-- These tables are internal: read them through JdbcSyncStore (TimelineStore), not with SQL of your own.

-- The sender's display name, and its normalized address (EmailAddress.normalize) that tells the
-- company's outbound mail from its inbound mail; the activities keep the normalized address too, so
-- that a contact's summary and a page filtered by direction read no other table than the own addresses.
ALTER TABLE imapsync_message ADD COLUMN IF NOT EXISTS from_name VARCHAR(1000) NOT NULL DEFAULT '';
ALTER TABLE imapsync_message ADD COLUMN IF NOT EXISTS from_norm VARCHAR(1000) COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE imapsync_activity ADD COLUMN IF NOT EXISTS from_norm VARCHAR(1000) COLLATE "C" NOT NULL DEFAULT '';

-- Messages recorded before version 3: the address lower-cased and trimmed by the database. That is
-- EmailAddress.normalize for plain ASCII addresses; an IDN domain written in Unicode (the store writes it as
-- punycode), a trailing dot or non-ASCII letters the database folds otherwise can differ, and such a
-- message then shows as INBOUND. Display names of these messages stay empty.
UPDATE imapsync_message SET from_norm = LOWER(TRIM(from_addr)) WHERE from_norm = '' AND from_addr <> '';
UPDATE imapsync_activity SET from_norm = LOWER(TRIM(from_addr)) WHERE from_norm = '' AND from_addr <> '';

-- Each account's own normalized addresses (address and aliases), recorded with every batch: a message
-- whose sender is one of them is OUTBOUND for the company, whichever account holds it.
CREATE TABLE IF NOT EXISTS imapsync_own_address (
    account_id VARCHAR(200) COLLATE "C" NOT NULL,
    address    VARCHAR(320) COLLATE "C" NOT NULL,
    PRIMARY KEY (address, account_id)
);

-- Stored accounts' addresses right away (their aliases, and accounts stored elsewhere, come with their next sync).
INSERT INTO imapsync_own_address (account_id, address)
    SELECT a.account_id, LOWER(TRIM(a.email)) FROM imapsync_account a
    WHERE a.email <> '' AND NOT EXISTS (SELECT 1 FROM imapsync_own_address o
                                        WHERE o.account_id = a.account_id AND o.address = LOWER(TRIM(a.email)) COLLATE "C");

-- A timeline page: one contact's rows, newest first by (msg_date, message_key); it also serves what
-- imapsync_activity_contact served.
CREATE INDEX IF NOT EXISTS imapsync_activity_timeline ON imapsync_activity (contact_id, msg_date, message_key);
DROP INDEX IF EXISTS imapsync_activity_contact;

-- Where a message is held, across accounts.
CREATE INDEX IF NOT EXISTS imapsync_message_key ON imapsync_message (message_key);
