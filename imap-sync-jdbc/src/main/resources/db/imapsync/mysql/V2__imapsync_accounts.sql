-- imap-sync schema, version 2: commit tags dropped; counts in the status; stored accounts (secrets encrypted by the application's key)
-- and the leases through which several nodes share them. Safe to run again: IF NOT EXISTS.
-- Also usable as a Flyway/Liquibase migration (imapsync_schema_version is then unused).
-- The store counts the rows it inserts itself since version 2: the commit tags and their
-- indexes, which only served to count, go.
DROP INDEX IF EXISTS imapsync_message_tag ON imapsync_message;
DROP INDEX IF EXISTS imapsync_activity_tag ON imapsync_activity;
ALTER TABLE imapsync_message DROP COLUMN IF EXISTS commit_tag;
ALTER TABLE imapsync_activity DROP COLUMN IF EXISTS commit_tag;

-- What the last attempt did, shown with the account's status.
ALTER TABLE imapsync_account_status ADD COLUMN IF NOT EXISTS last_fetched BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE imapsync_account_status ADD COLUMN IF NOT EXISTS last_activities BIGINT DEFAULT 0 NOT NULL;

CREATE TABLE IF NOT EXISTS imapsync_account (
    account_id         VARCHAR(200)  NOT NULL PRIMARY KEY,
    email              VARCHAR(320)  NOT NULL,
    aliases            TEXT          NOT NULL,
    host               VARCHAR(255)  NOT NULL,
    port               INTEGER       NOT NULL,
    security           VARCHAR(16)   NOT NULL,
    login_user         VARCHAR(320)  NOT NULL,
    auth_kind          VARCHAR(16)   NOT NULL,
    secret_key_id      VARCHAR(64)   NOT NULL,
    secret             MEDIUMTEXT NOT NULL,
    allow_insecure     BOOLEAN       NOT NULL,
    trusted_certs      MEDIUMTEXT,
    connect_timeout_ms BIGINT        NOT NULL,
    read_timeout_ms    BIGINT        NOT NULL,
    write_timeout_ms   BIGINT        NOT NULL,
    initial_window_s   BIGINT,
    sync_interval_s    BIGINT,
    revision           BIGINT        NOT NULL,
    created_at         DATETIME(6) NOT NULL,
    updated_at         DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS imapsync_account_folder (
    account_id VARCHAR(200)  NOT NULL,
    position   INTEGER       NOT NULL,
    folder     VARCHAR(1000) NOT NULL,
    PRIMARY KEY (account_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS imapsync_lease (
    account_id   VARCHAR(200) NOT NULL PRIMARY KEY,
    next_run_at  DATETIME(6) NOT NULL,
    owner        VARCHAR(200),
    lease_until  DATETIME(6),
    heartbeat_at DATETIME(6),
    failures     INTEGER      NOT NULL,
    stopped_revision BIGINT,
    version      BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX IF NOT EXISTS imapsync_lease_due ON imapsync_lease (next_run_at);
