package dev.imapsync.schedule;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.folder.FolderChoice;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An account as the host application keeps it for unattended syncing: the connection and
 * credentials, which folders to sync, how far back the first sync looks, and how often to sync.
 *
 * @param account       the mailbox and its credentials
 * @param folders       which folders to sync
 * @param initialWindow how far back the account's history reaches (1 day to 100 years, as
 *                      {@link dev.imapsync.sync.SyncOptions.Builder#initialWindow} takes it): a first
 *                      sync reads this far, and storing the account again with a longer window
 *                      imports the older messages at its next sync; empty for the engine's default
 * @param interval      how often to sync; empty for the scheduler's default
 */
public record ManagedAccount(ImapAccount account, FolderChoice folders, Optional<Duration> initialWindow,
                             Optional<Duration> interval) {

    /** Validates the parts: a window of 1 day to 100 years, an interval of at most 366 days. */
    public ManagedAccount {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(folders, "folders");
        Objects.requireNonNull(initialWindow, "initialWindow");
        Objects.requireNonNull(interval, "interval");
        initialWindow.ifPresent(d -> requireWindow(d, account.id()));
        interval.ifPresent(d -> requirePositive(d, "interval", account.id()));
    }

    /** An account syncing the recommended folders with the default window and interval. */
    public static ManagedAccount of(ImapAccount account) {
        return new ManagedAccount(account, FolderChoice.recommended(), Optional.empty(), Optional.empty());
    }

    /** The account's id. */
    public String id() {
        return account.id();
    }

    /** This account with other folders. */
    public ManagedAccount withFolders(FolderChoice other) {
        return new ManagedAccount(account, other, initialWindow, interval);
    }

    /** This account with another first-sync window. */
    public ManagedAccount withInitialWindow(Duration window) {
        return new ManagedAccount(account, folders, Optional.of(window), interval);
    }

    /** This account with another sync interval. */
    public ManagedAccount withInterval(Duration every) {
        return new ManagedAccount(account, folders, initialWindow, Optional.of(every));
    }

    private static void requireWindow(Duration window, String accountId) {
        if (window.toDays() < 1 || window.toDays() > 36_500) {
            throw new IllegalArgumentException("initialWindow of account '" + accountId + "' is " + window
                    + ": give 1 day to 100 years, or leave it empty for the default (90 days)");
        }
    }

    private static void requirePositive(Duration duration, String what, String accountId) {
        // beyond a year a schedule means nothing, and Instant arithmetic overflows long before FOREVER
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException(what + " of account '" + accountId + "' is " + duration
                    + ": give a positive duration of at most 366 days, or leave it empty for the default");
        }
    }

    /** The longest interval: a sync a year and a day. */
    static final Duration MAX_INTERVAL = Duration.ofDays(366);
}
