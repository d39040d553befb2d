-- imap-sync schema version 6 (h2): what must never enter the CRM (issue 17). Every statement is safe to
-- run again; also usable as a Flyway/Liquibase migration. These tables are internal: use them through
-- JdbcSyncStore (PrivacyStore) and JdbcAccountRepository, not with SQL of your own.

-- The normalized address that matched the contact of a history entry (ContactActivity.address): erasing or
-- blocking an address finds the entries it made. '' : recorded before version 6, or not known.
-- No index: an erasure or a purge reads the table once in pages of its key, and an index would cost every
-- commit (benchmarks/README.md, "Privacy columns").
ALTER TABLE imapsync_activity ADD COLUMN IF NOT EXISTS contact_addr VARCHAR(320) DEFAULT '' NOT NULL;

-- Bulk and automated mail recorded with a flag (BulkMail.FLAG).
ALTER TABLE imapsync_message ADD COLUMN IF NOT EXISTS is_bulk BOOLEAN DEFAULT FALSE NOT NULL;

-- Each stored account's privacy settings (PrivacySettings): visibility METADATA, SUBJECT or FULL; whether
-- internal mail is recorded; bulk mail SKIP, FLAG or RECORD; the declared internal domains, one a line.
ALTER TABLE imapsync_account ADD COLUMN IF NOT EXISTS visibility VARCHAR(16) DEFAULT 'FULL' NOT NULL;
ALTER TABLE imapsync_account ADD COLUMN IF NOT EXISTS record_internal BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE imapsync_account ADD COLUMN IF NOT EXISTS bulk_mail VARCHAR(16) DEFAULT 'SKIP' NOT NULL;
ALTER TABLE imapsync_account ADD COLUMN IF NOT EXISTS internal_domains VARCHAR(2000) DEFAULT '' NOT NULL;

-- The blocklist: an address or a domain (and its subdomains), for one account or '' for every account.
CREATE TABLE IF NOT EXISTS imapsync_block (
    account_id  VARCHAR(200) NOT NULL,
    entry_kind  VARCHAR(8) NOT NULL,
    entry_value VARCHAR(320) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (account_id, entry_kind, entry_value)
);

-- Unblocked entries whose mail an account's next sync reads again: one row per account the entry applied to,
-- gone when that account's sync has read it in every selected folder, or when the entry is blocked again.
CREATE TABLE IF NOT EXISTS imapsync_revisit (
    account_id    VARCHAR(200) NOT NULL,
    entry_account VARCHAR(200) NOT NULL,
    entry_kind    VARCHAR(8) NOT NULL,
    entry_value   VARCHAR(320) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (account_id, entry_account, entry_kind, entry_value)
);

-- Suppression entries of erased people: only the SHA-256 of the normalized address (PrivacyRules.addressHash),
-- never the address. finished_at NULL: the erasure has not finished (a rerun resumes it).
CREATE TABLE IF NOT EXISTS imapsync_suppression (
    address_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    erased_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at  TIMESTAMP WITH TIME ZONE
);

-- What an erasure removed so far, per account, added up in the transaction of each of its batches: a rerun
-- after a crash answers the whole erasure, each row counted once.
CREATE TABLE IF NOT EXISTS imapsync_erasure (
    address_hash VARCHAR(64) NOT NULL,
    account_id   VARCHAR(200) NOT NULL,
    entries      BIGINT NOT NULL,
    messages     BIGINT NOT NULL,
    previews     BIGINT NOT NULL,
    PRIMARY KEY (address_hash, account_id)
);
