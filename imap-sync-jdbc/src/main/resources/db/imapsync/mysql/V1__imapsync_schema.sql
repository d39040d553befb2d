-- imap-sync schema, version 1. Safe to run again: every statement is IF NOT EXISTS.
-- Also usable as a Flyway/Liquibase migration (imapsync_schema_version is then unused).
CREATE TABLE IF NOT EXISTS imapsync_schema_version (
    version      INTEGER      NOT NULL PRIMARY KEY,
    description  VARCHAR(200) NOT NULL,
    installed_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS imapsync_checkpoint (
    account_id     VARCHAR(200) NOT NULL,
    folder         VARCHAR(500) NOT NULL,
    uid_validity   BIGINT       NOT NULL,
    last_uid       BIGINT       NOT NULL,
    highest_modseq BIGINT,
    PRIMARY KEY (account_id, folder)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS imapsync_message (
    account_id  VARCHAR(200) NOT NULL,
    message_key VARCHAR(255) NOT NULL,
    folder      VARCHAR(500) NOT NULL,
    uid         BIGINT        NOT NULL,
    msg_date    DATETIME(6) NOT NULL,
    from_addr   VARCHAR(1000) NOT NULL,
    subject     VARCHAR(1000) NOT NULL,
    size        BIGINT        NOT NULL,
    direction   VARCHAR(8)    NOT NULL,
    thread_id   VARCHAR(255),
    commit_tag  BIGINT        NOT NULL,
    PRIMARY KEY (account_id, message_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX IF NOT EXISTS imapsync_message_tag ON imapsync_message (commit_tag);

CREATE TABLE IF NOT EXISTS imapsync_activity (
    account_id  VARCHAR(200) NOT NULL,
    message_key VARCHAR(255) NOT NULL,
    contact_id  VARCHAR(255) NOT NULL,
    role        VARCHAR(5)    NOT NULL,
    direction   VARCHAR(8)    NOT NULL,
    msg_date    DATETIME(6) NOT NULL,
    subject     VARCHAR(1000) NOT NULL,
    from_addr   VARCHAR(1000) NOT NULL,
    folder      VARCHAR(500) NOT NULL,
    thread_id   VARCHAR(255),
    commit_tag  BIGINT        NOT NULL,
    CONSTRAINT imapsync_activity_once UNIQUE (account_id, message_key, contact_id, role)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX IF NOT EXISTS imapsync_activity_contact ON imapsync_activity (contact_id, msg_date);
CREATE INDEX IF NOT EXISTS imapsync_activity_tag ON imapsync_activity (commit_tag);

CREATE TABLE IF NOT EXISTS imapsync_account_status (
    account_id      VARCHAR(200) NOT NULL PRIMARY KEY,
    status          VARCHAR(32)   NOT NULL,
    last_attempt_at DATETIME(6) NOT NULL,
    last_synced_at  DATETIME(6),
    message         TEXT NOT NULL,
    hint            TEXT NOT NULL,
    next_run_at     DATETIME(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
