package dev.imapsync.sync;

import dev.imapsync.Failure;
import dev.imapsync.FailureKind;
import dev.imapsync.ImapSyncException;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.MailProvider;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.contact.ContactMatcher;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderValidation;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.internal.mail.ConnectionFailure;
import dev.imapsync.internal.mail.FolderReader;
import dev.imapsync.internal.mail.MailboxConnection;
import dev.imapsync.internal.mail.MailboxConnector;
import dev.imapsync.internal.mail.MailboxFacts;
import dev.imapsync.internal.message.HeaderParser;
import dev.imapsync.internal.transport.Classified;
import dev.imapsync.internal.transport.Failures;
import dev.imapsync.internal.transport.SocketDeadline;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.policy.BlockEntry;
import dev.imapsync.policy.InternalMailPolicy;
import dev.imapsync.policy.MessagePolicy;
import dev.imapsync.policy.Policies;
import dev.imapsync.policy.PrivacyRules;
import dev.imapsync.policy.PrivacySettings;
import dev.imapsync.policy.PrivacyStore;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.StatusStore;
import dev.imapsync.store.SyncStatus;
import dev.imapsync.store.SyncStore;
import dev.imapsync.sync.SyncReport.FolderReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs an account's selected folders into contact history, incrementally and read-only.
 *
 * <p>One IMAP connection per sync; folders in turn; EXAMINE only and every fetch with PEEK,
 * so no flag changes; a folder with nothing new costs no FETCH and no SEARCH; the first sync
 * of a folder reads the initial window only; later syncs read the UIDs above the checkpoint.
 * Each batch (messages, their contacts' activities and the new checkpoint) is committed in one
 * step, so a sync interrupted anywhere and run again records each message exactly once.
 *
 * <p><b>Privacy.</b> Every message passes the privacy rules ({@link dev.imapsync.policy.Policies#standard}:
 * erased people, the blocklist, internal mail, bulk mail, then the rules given to
 * {@link Builder#policy}) right after its header batch is parsed: an excluded message is counted
 * in {@link SyncReport#excluded()}, never matched, committed or fetched further. The account's
 * {@link dev.imapsync.policy.Visibility} decides what is committed (no subject for METADATA, no
 * preview unless FULL). The rules are read from the {@link Builder#privacyStore privacy store} once
 * per sync, before any folder is opened; a failure to read them fails the sync. After an unblock
 * the next sync reads that mail again in each folder (see {@link dev.imapsync.policy.PrivacyStore#unblock}).
 *
 * <p><b>What a sync reports and what it throws.</b>
 * <ul>
 * <li>Whatever the server or the network does ends in the {@link SyncReport}, never as an
 *     exception: a refused login, a broken connection, a folder gone. What was committed before
 *     the failure stays.</li>
 * <li>A sync ends within {@link SyncOptions#maxDuration()}, plus the moment it takes to record the
 *     account's status, however slow the server, the matcher or the store (a {@link SyncListener}
 *     runs on the caller's thread and must return at once). Its report then has a failure of kind
 *     {@link dev.imapsync.FailureKind#TIMEOUT}, and its status says where the time went:
 *     {@link SyncStatus#CONNECTION_FAILED} when the sync waited for the server (the deadline closed
 *     the connection), {@link SyncStatus#ERROR} when it waited for the host application's
 *     {@link ContactMatcher} or {@link SyncStore}; the hint names which. No batch is committed after
 *     the deadline. The matcher and the store are called on a thread of the sync's own
 *     ({@code imap-sync-batch-<account id>}); a call still running at the deadline is interrupted
 *     and abandoned, so a matcher or store that ignores interrupts keeps that thread until it
 *     returns, and its answer is dropped.</li>
 * <li>The host application's parts failing throw an {@link ImapSyncException}: the matcher
 *     throwing (or answering null), the store throwing, the status store failing, the privacy
 *     store failing, a privacy rule throwing (or answering null). The message
 *     names the account (and the folder) and says what to do; the cause is chained. The sync stops at
 *     the failing batch, nothing of that batch is stored, what was committed before stays, and
 *     (when the status store works) the account's status is recorded as {@link SyncStatus#ERROR}
 *     with that message. A host bug or outage is loud: retrying later is the caller's choice (the
 *     scheduler retries with backoff).</li>
 * <li>A {@link SyncListener} that throws is logged and ignored.</li>
 * <li>A {@code null} argument throws {@link NullPointerException}; a builder missing its store or
 *     matcher throws {@link IllegalStateException} from {@link Builder#build()}.</li>
 * </ul>
 *
 * <p>Thread-safe: one engine may sync several accounts at once, each call on its own thread.
 */
public final class SyncEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);

    private final SyncStore store;
    private final StatusStore statuses;
    private final ContactMatcher matcher;
    private final SyncOptions options;
    private final SyncListener listener;
    private final Clock clock;
    private final HeaderParser parser;
    private final PrivacyStore privacyStore;
    private final List<MessagePolicy> hostRules;
    private final Set<String> internalDomains;

    private SyncEngine(Builder b) {
        this.store = b.store;
        this.statuses = b.statuses != null ? b.statuses : (StatusStore) b.store;
        this.matcher = b.matcher;
        this.options = b.options;
        this.listener = b.listener;
        this.clock = b.clock;
        this.parser = HeaderParser.standard();
        this.privacyStore = b.privacyStore != null ? b.privacyStore
                : b.store instanceof PrivacyStore p ? p : null;
        this.hostRules = List.copyOf(b.hostRules);
        this.internalDomains = Set.copyOf(b.internalDomains);
    }

    /** A builder; a store and a contact matcher are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Syncs the selected folders of the account. Never throws for what a server or the network
     * does: a failure is in the report, and what was committed before it stays. Returns within
     * {@link SyncOptions#maxDuration()} (see the class description).
     *
     * @return what the sync did, and the failure that stopped it, if any
     * @throws ImapSyncException when the host application's {@link ContactMatcher} or {@link SyncStore}
     *         fails, or the account's status cannot be stored (see above): what was committed stays, and
     *         nothing of the failing batch is stored; also when the calling thread is interrupted while
     *         it waits for the matcher or the store (its interrupt flag is then set again)
     * @throws NullPointerException if an argument is null
     */
    public SyncReport sync(ImapAccount account, FolderSelection selection) {
        Objects.requireNonNull(selection, "selection");
        return run(account, (connection, provider) -> new Plan(selection.folders(), selection.warnings(), List.of()));
    }

    /**
     * Syncs the folders an account's stored choice names, deciding them on the sync's own
     * connection from the folders the server lists now (so recommended folders are found by
     * role, and a renamed folder is noticed). A named folder that is gone is reported as
     * {@link SyncStatus#FOLDER_MISSING} for it; the others are synced. Never throws for what a
     * server or the network does. Returns within {@link SyncOptions#maxDuration()} (see the class
     * description).
     *
     * @return what the sync did, and the failure that stopped it, if any
     * @throws ImapSyncException when the host application's {@link ContactMatcher} or {@link SyncStore}
     *         fails, or the account's status cannot be stored (see above): what was committed stays, and
     *         nothing of the failing batch is stored; also when the calling thread is interrupted while
     *         it waits for the matcher or the store (its interrupt flag is then set again)
     * @throws NullPointerException if an argument is null
     */
    public SyncReport sync(ImapAccount account, FolderChoice choice) {
        Objects.requireNonNull(choice, "choice");
        return run(account, (connection, provider) -> {
            List<MailFolder> listed = MailboxFacts.folders(connection.listFolders());
            MailProvider found = MailboxFacts.provider(account, account.endpoint(), connection.capabilities(), listed);
            FolderValidation validation = choice.resolve(listed, found);
            List<FolderReport> unusable = new ArrayList<>();
            if (choice instanceof FolderChoice.Named named) {
                for (String name : named.names()) {
                    FolderValidation one = FolderChoice.named(List.of(name)).resolve(listed, found);
                    if (!one.isValid()) {
                        unusable.add(missing(account, name, String.join(" ", one.errors())));
                    }
                }
            } else if (!validation.isValid()) {
                unusable.add(missing(account, "(recommended)", String.join(" ", validation.errors())));
            }
            return new Plan(validation.folders(), validation.warnings(), unusable);
        });
    }

    /**
     * Syncs after a probe, the flow of a settings page or a command line: when the probe worked,
     * syncs the chosen folders of the account as the probe found it working
     * ({@link ProbeResult#workingAccount()}); when it failed, records the probe's failure as this
     * attempt's outcome, so that the account's status says {@code AUTH_FAILED},
     * {@code TLS_FAILED}, … with the probe's message and hint, and returns a report carrying that
     * failure, without connecting again (a wrong password is tried once).
     *
     * @return what the sync did, or the probe's failure as a report with no folders
     * @throws ImapSyncException as {@link #sync(ImapAccount, FolderChoice)} does
     * @throws NullPointerException if an argument is null
     */
    public SyncReport sync(ProbeResult probe, FolderChoice choice) {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(choice, "choice");
        if (probe.ok()) {
            return sync(probe.workingAccount(), choice);
        }
        Failure failure = probe.failure().orElseThrow();
        return finish(probe.account(), System.nanoTime(), clock.instant(), List.of(), failure,
                SyncStatus.of(failure.kind()), List.of());
    }

    private FolderReport missing(ImapAccount account, String name, String why) {
        Failure failure = Failures.folderUnusable(account, account.endpoint(), name, "cannot be synced: " + why);
        FolderReport report = new FolderReport(name, SyncStatus.FOLDER_MISSING, 0, 0, 0, 0, 0, 0, 0, false, Duration.ZERO,
                List.of(), Optional.of(failure));
        try {
            listener.folderFinished(account.id(), report);
        } catch (RuntimeException e) {
            LOG.warn("account {}: the sync listener threw, ignored: {}", account.id(), e.toString());
        }
        return report;
    }

    /** The store this engine records into. */
    public SyncStore store() {
        return store;
    }

    /** Where this engine records each attempt's account status. */
    public StatusStore statusStore() {
        return statuses;
    }

    /** The options this engine syncs with. */
    public SyncOptions options() {
        return options;
    }

    /**
     * An engine like this one (same store, matcher, listener and clock) with other options.
     *
     * @throws NullPointerException if {@code other} is null
     */
    public SyncEngine withOptions(SyncOptions other) {
        Builder b = builder().store(store).statusStore(statuses).contactMatcher(matcher).listener(listener).clock(clock)
                .options(Objects.requireNonNull(other, "options")).internalDomains(internalDomains);
        if (privacyStore != null) {
            b.privacyStore(privacyStore);
        }
        hostRules.forEach(b::policy);
        return b.build();
    }

    /** What to sync: the folders, and reports for chosen folders that cannot be synced. */
    private record Plan(List<MailFolder> folders, List<String> warnings, List<FolderReport> unusable) {
    }

    @FunctionalInterface
    private interface Planner {
        Plan plan(MailboxConnection connection, MailProvider provider) throws ConnectionFailure;
    }

    private SyncReport run(ImapAccount account, Planner planner) {
        Objects.requireNonNull(account, "account");
        long started = System.nanoTime();
        Instant attemptedAt = clock.instant();
        MailProvider provider = MailboxFacts.provider(account, account.endpoint(), List.of(), List.of());
        List<FolderReport> reports = new ArrayList<>();
        List<String> selectionWarnings = List.of();
        Failure stop = null;
        SyncStatus stopStatus = null;
        boolean loggedIn = false;
        long deadlineNanos = System.nanoTime() + options.maxDuration().toNanos();
        SocketDeadline deadline = SocketDeadline.at(deadlineNanos);
        try (deadline; HostCalls host = new HostCalls(HostCalls.THREAD_PREFIX + account.id(), deadlineNanos,
                "Account " + account.id()); MailboxConnection connection = MailboxConnector.forAccount(account)
                .open(deadline)) {
            loggedIn = true;
            SyncPrivacy privacy;
            try {
                privacy = privacy(account, host);
            } catch (ImapSyncException e) {
                saveErrorStatus(account, reports, e, attemptedAt);
                throw e;
            }
            Plan plan = planner.plan(connection, provider);
            selectionWarnings = plan.warnings();
            reports.addAll(plan.unusable());
            FolderSync folderSync = new FolderSync(account, store, matcher, parser, options, listener, clock,
                    ownAddresses(account), host, privacy);
            for (MailFolder folder : plan.folders()) {
                FolderReport report;
                try {
                    report = syncFolder(folderSync, connection, account, folder, provider, deadline, reports);
                } catch (ImapSyncException e) {
                    // the host application's matcher or store failed, or the sync was interrupted: thrown
                    saveErrorStatus(account, reports, e, attemptedAt);
                    throw e;
                }
                reports.add(report);
                if (report.failure().isPresent() && report.status() != SyncStatus.FOLDER_MISSING) {
                    stop = report.failure().get();
                    stopStatus = report.status();
                    break;
                }
            }
            if (stop == null && !privacy.revisits().isEmpty() && reports.stream().allMatch(SyncEngine::revisitedOrGone)) {
                revisited(account, privacy.revisits(), host);
            }
        } catch (ConnectionFailure e) {
            stop = connectionFailure(e.onSyncConnection(loggedIn), deadline, "", account, provider);
            stopStatus = SyncStatus.of(stop.kind());
        } catch (HostCalls.Overrun e) {
            // the deadline passed while the privacy store was read or told of the revisits
            stop = DeadlineFailure.hostPart(account, options.maxDuration(), "(none)", e);
            stopStatus = e.part() == null ? SyncStatus.CONNECTION_FAILED : SyncStatus.ERROR;
        }
        return finish(account, started, attemptedAt, reports, stop, stopStatus, selectionWarnings);
    }

    /**
     * Whether a folder's part of the revisits is done: it synced without failure, or it is missing
     * on the server, where there is no mail to bring back. Were a missing folder to hold the
     * revisits back, they would be searched for again at every sync for as long as it stays
     * missing. A folder that comes back under a new UIDVALIDITY is read afresh anyway; one that
     * comes back unchanged (renamed away and back) keeps the unblocked mail out: the revisit is
     * not kept for that rare case.
     */
    private static boolean revisitedOrGone(FolderReport report) {
        return report.failure().isEmpty() || report.status() == SyncStatus.FOLDER_MISSING;
    }

    /**
     * The privacy rules of the account's sync, read once from the privacy store: without them
     * nothing is synced (a blocked or erased person's mail would be recorded).
     *
     * @throws ImapSyncException when the privacy store fails
     */
    private SyncPrivacy privacy(ImapAccount account, HostCalls host) throws HostCalls.Overrun {
        PrivacySettings settings = account.privacy();
        PrivacyRules rules = PrivacyRules.none();
        List<BlockEntry> revisits = List.of();
        if (privacyStore != null) {
            StoredRules read = host.call(HostCalls.Part.STORE, "(none)", "reading the privacy rules", () -> {
                try {
                    return new StoredRules(privacyStore.rules(account.id()), privacyStore.revisits(account.id()));
                } catch (RuntimeException e) {
                    throw new ImapSyncException("Account " + account.id() + ": reading its privacy rules (blocklist,"
                            + " erased people, unblocked entries) failed, so nothing was synced: a sync never runs"
                            + " without them. Check the privacy store; the next sync tries again: " + e, e);
                }
            });
            rules = read.rules();
            revisits = read.revisits();
        }
        Set<String> own = ownAddresses(account);
        Set<String> domains = new HashSet<>(internalDomains);
        String address = account.emailAddress().isEmpty() ? account.credentials().user() : account.emailAddress();
        InternalMailPolicy.ownDomain(address).ifPresent(domains::add);
        MessagePolicy policy = Policies.standard(settings, rules, own, domains, hostRules);
        return new SyncPrivacy(policy, settings.visibility(), revisits);
    }

    /** What the privacy store holds for an account's sync. */
    private record StoredRules(PrivacyRules rules, List<BlockEntry> revisits) {
        StoredRules {
            Objects.requireNonNull(rules, "PrivacyStore.rules(...) returned null");
            Objects.requireNonNull(revisits, "PrivacyStore.revisits(...) returned null");
        }
    }

    /** Tells the privacy store that the mail of unblocked entries was read again in every selected folder. */
    private void revisited(ImapAccount account, List<BlockEntry> entries, HostCalls host) throws HostCalls.Overrun {
        host.call(HostCalls.Part.STORE, "(none)", "recording the revisits", () -> {
            try {
                privacyStore.revisited(account.id(), entries);
                return null;
            } catch (RuntimeException e) {
                throw new ImapSyncException("Account " + account.id() + ": the sync read again the mail of "
                        + entries.size() + " unblocked entr" + (entries.size() == 1 ? "y" : "ies") + " but could not"
                        + " record it; the next sync reads it again (nothing is recorded twice). Check the privacy"
                        + " store: " + e, e);
            }
        });
    }

    /** Ends an attempt: the report, the account's status, the log lines. */
    private SyncReport finish(ImapAccount account, long startedNanos, Instant attemptedAt, List<FolderReport> reports,
                              Failure stop, SyncStatus stopStatus, List<String> selectionWarnings) {
        for (String warning : selectionWarnings) {
            LOG.warn("account {}: {}", account.id(), warning);
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - startedNanos);
        SyncReport report = new SyncReport(account.id(), stopStatus != null ? stopStatus : status(reports), reports,
                Optional.ofNullable(stop).or(() -> firstFolderFailure(reports)), duration, selectionWarnings);
        saveStatus(account, report, attemptedAt);
        LOG.info("account {}: sync {} in {} ms: {} fetched, {} matched, {} new activities", account.id(),
                report.status(), duration.toMillis(), report.fetched(), report.matched(), report.activities());
        return report;
    }

    /** Records the attempt's outcome as the account's status, so that a status page can show it. */
    private void saveStatus(ImapAccount account, SyncReport report, Instant attemptedAt) {
        boolean synced = report.status() == SyncStatus.OK || report.status() == SyncStatus.PARTIAL;
        try {
            Optional<Instant> lastSynced = synced ? Optional.of(clock.instant())
                    : statuses.status(account.id()).flatMap(AccountStatus::lastSyncedAt);
            statuses.saveStatus(new AccountStatus(account.id(), report.status(), attemptedAt, lastSynced,
                    StatusText.message(report), StatusText.hint(report), Optional.empty(), report.fetched(),
                    report.activities()));
        } catch (RuntimeException e) {
            throw new ImapSyncException("Account " + account.id() + ": the sync finished (" + report.status()
                    + ") but its status could not be stored. Check the store: " + e, e);
        }
    }

    /**
     * Records a sync that the host application's part stopped as ERROR, with the exception's
     * message; a status store that fails too is added to the exception as suppressed.
     */
    private void saveErrorStatus(ImapAccount account, List<FolderReport> reports, ImapSyncException failure,
                                 Instant attemptedAt) {
        try {
            Optional<Instant> lastSynced = statuses.status(account.id()).flatMap(AccountStatus::lastSyncedAt);
            statuses.saveStatus(new AccountStatus(account.id(), SyncStatus.ERROR, attemptedAt, lastSynced,
                    failure.getMessage(), HOST_FAILURE_HINT, Optional.empty(),
                    reports.stream().mapToLong(FolderReport::fetched).sum(),
                    reports.stream().mapToLong(FolderReport::newActivities).sum()));
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The hint of the status a sync leaves when the host application's matcher or store failed. */
    private static final String HOST_FAILURE_HINT = "Not a mail server problem: the host application's ContactMatcher"
            + " or SyncStore failed (the message says which and why). Fix it; what was committed stays, and the next"
            + " sync goes on from the last stored batch.";

    /**
     * Syncs one folder into a report; when the matcher or the store throws, adds what the folder
     * did to {@code reports} and rethrows.
     */
    private FolderReport syncFolder(FolderSync folderSync, MailboxConnection connection, ImapAccount account,
                                    MailFolder folder, MailProvider provider, SocketDeadline deadline,
                                    List<FolderReport> reports) {
        long started = System.nanoTime();
        FolderSync.Tally tally = new FolderSync.Tally();
        Optional<Failure> failure = Optional.empty();
        SyncStatus status = SyncStatus.OK;
        try {
            folderSync.run(connection, folder, tally);
        } catch (ConnectionFailure e) {
            if (FolderReader.isMissing(e)) {
                status = SyncStatus.FOLDER_MISSING;
                failure = Optional.of(Failures.folderUnusable(account, account.endpoint(), folder.displayName(),
                        "does not exist (any more)"));
            } else {
                failure = Optional.of(connectionFailure(e.onSyncConnection(true), deadline,
                        "while syncing folder " + folder.displayName() + ": ", account, provider));
                status = SyncStatus.of(failure.get().kind());
            }
        } catch (HostCalls.Overrun e) {
            failure = Optional.of(DeadlineFailure.hostPart(account, options.maxDuration(),
                    folder.displayName(), e));
            // the time went in the host application's part, not in the connection
            status = e.part() == null ? SyncStatus.CONNECTION_FAILED : SyncStatus.ERROR;
        } catch (ImapSyncException e) {
            reports.add(folderReport(folder, SyncStatus.ERROR, tally, started, Optional.empty()));
            throw e;
        }
        FolderReport report = folderReport(folder, status, tally, started, failure);
        try {
            listener.folderFinished(account.id(), report);
        } catch (RuntimeException e) {
            LOG.warn("account {}: the sync listener threw, ignored: {}", account.id(), e.toString());
        }
        return report;
    }

    private static FolderReport folderReport(MailFolder folder, SyncStatus status, FolderSync.Tally tally,
                                             long startedNanos, Optional<Failure> failure) {
        return new FolderReport(folder.name(), status, tally.uidValidity, tally.fetched, tally.matched,
                tally.skipped, tally.leftOut, tally.newActivities, tally.lastUid, tally.upToDate,
                Duration.ofNanos(System.nanoTime() - startedNanos), tally.warnings, failure, tally.excluded);
    }

    /**
     * The failure of the sync's connection. One the sync's deadline caused by closing the
     * connection is a TIMEOUT with the deadline's own message and hint, whatever the layer saw.
     *
     * @param where where in the sync it happened ("while syncing folder INBOX: "), or ""
     */
    private Failure connectionFailure(Classified c, SocketDeadline deadline, String where, ImapAccount account,
                                      MailProvider provider) {
        if (deadline.expired()) {
            return DeadlineFailure.server(account, options.maxDuration(), where);
        }
        return Failures.describe(c.kind(), where + c.detail(), account, account.endpoint(), provider);
    }

    /** The status of a sync that no failure stopped. */
    private static SyncStatus status(List<FolderReport> reports) {
        long failed = reports.stream().filter(r -> r.status() != SyncStatus.OK).count();
        if (failed == 0) {
            return SyncStatus.OK;
        }
        return failed == reports.size() ? SyncStatus.FOLDER_MISSING : SyncStatus.PARTIAL;
    }

    private static Optional<Failure> firstFolderFailure(List<FolderReport> reports) {
        return reports.stream().map(FolderReport::failure).flatMap(Optional::stream).findFirst();
    }

    private static Set<String> ownAddresses(ImapAccount account) {
        Set<String> own = new HashSet<>();
        if (!account.emailAddress().isEmpty()) {
            own.add(EmailAddress.normalize(account.emailAddress()));
        }
        for (String alias : account.aliases()) {
            own.add(EmailAddress.normalize(alias));
        }
        if (account.credentials().user().contains("@")) {
            own.add(EmailAddress.normalize(account.credentials().user()));
        }
        return own;
    }

    /** Settings of a {@link SyncEngine}. */
    public static final class Builder {
        private SyncStore store;
        private StatusStore statuses;
        private ContactMatcher matcher;
        private SyncOptions options = SyncOptions.defaults();
        private SyncListener listener = SyncListener.NONE;
        private Clock clock = Clock.systemUTC();
        private PrivacyStore privacyStore;
        private final List<MessagePolicy> hostRules = new ArrayList<>();
        private Set<String> internalDomains = Set.of();

        private Builder() {
        }

        /**
         * Where the privacy rules are kept: block entries, erased people, unblocked entries to read
         * again (default: the store, when it is also a {@link PrivacyStore}, as the in-memory and JDBC
         * stores are; otherwise none: nothing is blocked or erased, internal and bulk mail are still
         * kept out as each account's {@link PrivacySettings} say). They are read once per sync; when
         * that fails, the sync fails without syncing anything.
         */
        public Builder privacyStore(PrivacyStore privacyStore) {
            this.privacyStore = Objects.requireNonNull(privacyStore, "privacyStore");
            return this;
        }

        /**
         * Adds a rule of the host application's, applied to every message after the built-in ones
         * (erased people, blocklist, internal mail, bulk mail); repeatable, applied in the order
         * added. The first rule that excludes a message decides (see {@link MessagePolicy}).
         */
        public Builder policy(MessagePolicy policy) {
            this.hostRules.add(Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * The company's own domains, for every account: mail whose participants are all in them
         * (or their subdomains), or are the company's addresses, is internal. Each account adds its
         * {@link PrivacySettings#internalDomains()} and its own address's domain unless that is a
         * public provider's ({@link dev.imapsync.policy.PublicMailDomains}). Default: none.
         *
         * @throws IllegalArgumentException if one is not a domain
         */
        public Builder internalDomains(Set<String> domains) {
            Set<String> d = new HashSet<>();
            for (String domain : Objects.requireNonNull(domains, "domains")) {
                d.add(PrivacySettings.domain(domain));
            }
            this.internalDomains = Set.copyOf(d);
            return this;
        }

        /**
         * Where checkpoints and history go (required).
         *
         * @throws NullPointerException if {@code store} is null (so for every setter of this builder)
         */
        public Builder store(SyncStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Where each attempt's {@link AccountStatus} goes (default: the store, when it is also a
         * {@link StatusStore}, as the in-memory and JDBC stores are).
         */
        public Builder statusStore(StatusStore statuses) {
            this.statuses = Objects.requireNonNull(statuses, "statuses");
            return this;
        }

        /** Who the addresses belong to (required). */
        public Builder contactMatcher(ContactMatcher matcher) {
            this.matcher = Objects.requireNonNull(matcher, "matcher");
            return this;
        }

        /** How to read mailboxes (default {@link SyncOptions#defaults()}). */
        public Builder options(SyncOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Who hears the progress (default {@link SyncListener#NONE}). */
        public Builder listener(SyncListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The clock the initial window is measured from (default the system clock, UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Makes the engine.
         *
         * @throws IllegalStateException naming what is missing
         */
        public SyncEngine build() {
            if (store == null) {
                throw new IllegalStateException("No store: call store(...) with a SyncStore"
                        + " (InMemorySyncStore for tests, the JDBC store for production)");
            }
            if (statuses == null && !(store instanceof StatusStore)) {
                throw new IllegalStateException("No status store: " + store.getClass().getName() + " keeps no"
                        + " account statuses, so call statusStore(...) with a StatusStore");
            }
            if (matcher == null) {
                throw new IllegalStateException("No contact matcher: call contactMatcher(...) with your"
                        + " ContactMatcher (or InMemoryContactMatcher)");
            }
            return new SyncEngine(this);
        }
    }
}
