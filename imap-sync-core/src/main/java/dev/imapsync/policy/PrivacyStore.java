package dev.imapsync.policy;

import java.time.Instant;
import java.util.List;

/**
 * The stored side of the privacy policies: blocklists, suppression entries of erased people,
 * revisits after an unblock, erasure and retention. {@code InMemorySyncStore} implements it for
 * tests and demos, {@code JdbcSyncStore} beside the accounts; a sync engine uses its store's
 * unless it is given another.
 *
 * <p>Guarantees (the {@code PrivacyStoreContract} of {@code imap-sync-testing} checks them):
 * <ul>
 *   <li>{@link #block} adds the entry and purges, in bounded batches, every message recorded in
 *       the accounts it applies to in which the blocked address took part as sender or as a
 *       matched contact, with its history entries; rerun after a crash, it finishes the purge.</li>
 *   <li>{@link #unblock} removes the entry and records a revisit for the accounts it applied to,
 *       so that their next sync reads that mail again within its window ({@link #revisits}),
 *       without a full resync of everything else.</li>
 *   <li>{@link #erase} removes every trace of the address from the stored history of every
 *       account (history entries of the contacts it matched, the sender address and name of the
 *       messages it sent, their previews and attachment lists; messages left without any history
 *       entry go entirely), keeps a suppression entry (only the {@link PrivacyRules#addressHash}),
 *       and answers what it removed per account; erasing again removes nothing more and is no
 *       error.</li>
 *   <li>{@link #applyRetention} drops previews and attachment lists older than the retention,
 *       and entries too when it says so, in bounded batches; safe to rerun.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface PrivacyStore {

    /** What the account's next sync applies: its block entries, the suppression entries, the company's addresses. */
    PrivacyRules rules(String accountId);

    /**
     * Adds a block entry and purges what is already recorded for it.
     *
     * @throws dev.imapsync.ImapSyncException if it could not be stored; a rerun finishes it
     */
    BlockResult block(BlockEntry entry);

    /**
     * Removes a block entry; the accounts it applied to read that mail again at their next sync.
     *
     * @return false when there was no such entry
     */
    boolean unblock(BlockEntry entry);

    /** Every block entry, company-wide ones first, then by account, kind and value. */
    List<BlockEntry> blockEntries();

    /** The unblocked entries the account's next sync must read mail for again (oldest first). */
    List<BlockEntry> revisits(String accountId);

    /**
     * Records that the account's sync read the mail of these entries again in every selected
     * folder the server has (a selected folder missing on the server holds nothing to bring back).
     */
    void revisited(String accountId, List<BlockEntry> entries);

    /**
     * Erases every trace of an address from all accounts' stored history and keeps it out of
     * later syncs and backfills.
     *
     * @param address any form of the address; it is normalized
     */
    ErasureResult erase(String address);

    /**
     * Drops what the retention says is too old, measured back from {@code now}.
     */
    Retention.Result applyRetention(Retention retention, Instant now);
}
