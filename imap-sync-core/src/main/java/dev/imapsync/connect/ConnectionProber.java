package dev.imapsync.connect;

import dev.imapsync.Failure;
import dev.imapsync.FailureKind;
import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.MailProvider;
import dev.imapsync.account.Security;
import dev.imapsync.connect.ProbeResult.ProbeAttempt;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.internal.mail.ConnectionFailure;
import dev.imapsync.internal.mail.MailboxConnection;
import dev.imapsync.internal.mail.MailboxConnector;
import dev.imapsync.internal.mail.MailboxFacts;
import dev.imapsync.internal.transport.Classified;
import dev.imapsync.internal.transport.Failures;
import dev.imapsync.internal.transport.SocketDeadline;
import dev.imapsync.internal.transport.TransportCheck;
import dev.imapsync.internal.transport.TransportOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out, within seconds, whether an account's mailbox can be used, and if not, exactly why.
 *
 * <p>It works in two phases. First the transports: the configured endpoint and its
 * alternatives (the other secure mode on the same port, then implicit TLS on 993 and STARTTLS
 * on 143 of the same host; cleartext only when the account allows it) are checked in
 * parallel, each up to its greeting and capabilities, without sending credentials. Then one
 * login on the best transport that worked, preferring the configured one, then implicit TLS,
 * then STARTTLS; a wrong password is therefore tried exactly once. A certificate or host name
 * failure stops the probe: it is reported as it is and never bypassed by another mode. The
 * whole probe answers within its deadline even when a port accepts and never speaks.
 *
 * <p>What it throws: nothing for what a server or the network does, which is always in the
 * {@link ProbeResult}; only a programming error of the caller's ({@code null}, no candidates) or an
 * executor given to the builder that refuses the checks.
 *
 * <p>Thread-safe; {@link #probe} may be called from many threads.
 */
public final class ConnectionProber {
    /** The default time a whole probe may take. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(20);
    /** The default time a transport check waits for each answer (greeting, CAPABILITY, STARTTLS). */
    public static final Duration DEFAULT_TRANSPORT_TIMEOUT = Duration.ofSeconds(6);

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionProber.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Duration POLL = Duration.ofMillis(25);

    private final Duration deadline;
    private final Duration transportTimeout;
    private final Executor executor;

    private ConnectionProber(Builder b) {
        this.deadline = b.deadline;
        this.transportTimeout = b.transportTimeout;
        this.executor = b.executor != null ? b.executor : ConnectionProber::startDaemon;
    }

    /** A prober with the defaults: a 20 second deadline and its own short-lived daemon threads. */
    public static ConnectionProber standard() {
        return builder().build();
    }

    /** A builder for a prober with other settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The time a whole probe may take. */
    public Duration deadline() {
        return deadline;
    }

    /**
     * Probes the account. Never throws for anything a server or the network does: every
     * outcome is in the result, within {@link #deadline()}. If the calling thread is interrupted
     * while it waits for the transport checks, the checks not yet answered count as
     * {@code TIMEOUT} and the interrupt flag stays set.
     *
     * @return the outcome: the endpoint and facts that worked, or the failure and each attempt
     * @throws NullPointerException if {@code account} is null
     * @throws java.util.concurrent.RejectedExecutionException if the executor given to
     *         {@link Builder#executor} refuses a check (it was shut down, or its queue is full)
     */
    public ProbeResult probe(ImapAccount account) {
        Objects.requireNonNull(account, "account");
        long started = System.nanoTime();
        long deadlineAt = started + deadline.toNanos();
        MailboxConnector connector = MailboxConnector.forAccount(account);
        List<Endpoint> candidates = candidates(account);
        MailProvider knownProvider = MailboxFacts.provider(account, account.endpoint(), List.of(), List.of());

        List<ProbeAttempt> attempts = new ArrayList<>();
        TransportPhase transports = checkTransports(connector, candidates, deadlineAt, attempts, knownProvider);
        if (transports.winner == null) {
            Failure failure = transportFailure(account, transports, knownProvider);
            LOG.info("account {}: probe failed: {}", account.id(), failure);
            return ProbeResult.failure(account, knownProvider, failure, attempts, since(started));
        }

        Endpoint endpoint = transports.winner.endpoint();
        MailProvider provider = MailboxFacts.provider(account, endpoint, transports.winner.capabilities(), List.of());
        long loginStarted = System.nanoTime();
        Duration remaining = Duration.ofNanos(deadlineAt - loginStarted);
        if (remaining.toMillis() < 100) {
            Failure failure = Failures.describe(FailureKind.TIMEOUT, "no time was left for the login within the"
                    + " probe's deadline of " + deadline.toSeconds() + " s", account, endpoint, provider);
            return ProbeResult.failure(account, provider, failure, attempts, since(started));
        }
        try (MailboxConnection connection = connector.open(endpoint, SocketDeadline.at(deadlineAt))) {
            List<String> capabilities = connection.capabilities();
            List<MailFolder> folders = MailboxFacts.folders(connection.listFolders());
            attempts.add(new ProbeAttempt(endpoint, ProbeAttempt.Step.LOGIN, Optional.empty(), since(loginStarted)));
            MailProvider found = MailboxFacts.provider(account, endpoint, capabilities, folders);
            if (endpoint.security() == Security.NONE) {
                LOG.warn("account {}: connected in CLEARTEXT to {} because the account allows insecure connections",
                        account.id(), endpoint);
            }
            LOG.info("account {}: probe found {} ({}, {} folders) in {} ms", account.id(), endpoint,
                    found.displayName(), folders.size(), since(started).toMillis());
            return ProbeResult.success(account, endpoint, found, capabilities, folders, attempts, since(started));
        } catch (ConnectionFailure e) {
            Classified c = e.classified();
            Failure failure = Failures.describe(c.kind(), c.detail(), account, endpoint, provider);
            attempts.add(new ProbeAttempt(endpoint, ProbeAttempt.Step.LOGIN, Optional.of(failure), since(loginStarted)));
            LOG.info("account {}: probe failed at login: {}", account.id(), failure);
            return ProbeResult.failure(account, provider, failure, attempts, since(started));
        }
    }

    /**
     * Probes candidate settings of one mailbox in order (for example one account per endpoint
     * from {@link dev.imapsync.account.MailProvider#discover}) and returns the first result that
     * worked. It stops early at a failure that another endpoint cannot cure (wrong password, IMAP
     * disabled, throttled, an untrusted or misnamed certificate), so a wrong password is still
     * sent only once. When all fail, the first candidate's result is returned, since it is the
     * most likely right one.
     *
     * @return the first result that worked, the one that stopped the probing, or the first
     * @throws IllegalArgumentException if there are no candidates
     * @throws NullPointerException if the list or a candidate is null
     * @throws java.util.concurrent.RejectedExecutionException as {@link #probe}
     */
    public ProbeResult probeFirst(List<ImapAccount> candidates) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("No candidate settings to probe: give at least one account");
        }
        ProbeResult first = null;
        for (ImapAccount candidate : candidates) {
            ProbeResult result = probe(candidate);
            if (result.ok()) {
                return result;
            }
            if (first == null) {
                first = result;
            }
            FailureKind kind = result.failure().orElseThrow().kind();
            if (kind.isAccountProblem() || kind.isCertificateProblem()) {
                return result;
            }
        }
        return first;
    }

    /** The configured endpoint first, then its alternatives, without duplicates. */
    static List<Endpoint> candidates(ImapAccount account) {
        Endpoint configured = account.endpoint();
        Set<Endpoint> list = new LinkedHashSet<>();
        list.add(configured);
        if (configured.security() == Security.SSL_TLS) {
            list.add(configured.withSecurity(Security.STARTTLS));
        } else if (configured.security() == Security.STARTTLS) {
            list.add(configured.withSecurity(Security.SSL_TLS));
        }
        list.add(Endpoint.of(configured.host(), Security.SSL_TLS.defaultPort(), Security.SSL_TLS));
        list.add(Endpoint.of(configured.host(), Security.STARTTLS.defaultPort(), Security.STARTTLS));
        if (account.allowInsecure()) {
            // last resort only, and only because the account explicitly allows it
            list.add(configured.withSecurity(Security.NONE));
            list.add(Endpoint.of(configured.host(), Security.NONE.defaultPort(), Security.NONE));
        }
        return List.copyOf(list);
    }

    private TransportPhase checkTransports(MailboxConnector connector, List<Endpoint> candidates, long deadlineAt,
                                           List<ProbeAttempt> attempts, MailProvider provider) {
        ImapAccount account = connector.account();
        TransportCheck check = connector.transportCheck(shorter(account.connectTimeout(), deadline),
                shorter(account.readTimeout(), transportTimeout));
        SocketDeadline socketDeadline = SocketDeadline.at(deadlineAt);
        List<CompletableFuture<TransportOutcome>> pending = new ArrayList<>();
        for (Endpoint candidate : candidates) {
            pending.add(CompletableFuture.supplyAsync(() -> check.check(candidate, socketDeadline), executor));
        }
        TransportPhase phase = new TransportPhase();
        for (int i = 0; i < candidates.size(); i++) {
            TransportOutcome outcome = await(i, candidates, pending, deadlineAt);
            phase.outcomes.add(outcome);
            Optional<Failure> failure = outcome.failure().map(c -> Failures.describe(c.kind(), c.detail(), account,
                    outcome.endpoint(), provider));
            attempts.add(new ProbeAttempt(outcome.endpoint(), ProbeAttempt.Step.TRANSPORT, failure, outcome.duration()));
            if (outcome.succeeded()) {
                phase.winner = outcome;
                break;
            }
            if (failure.get().kind().isCertificateProblem()) {
                phase.certificateFailure = failure.get();
                break;
            }
        }
        // the checks that lost (or were not waited for) must not outlive the probe
        socketDeadline.expireNow();
        return phase;
    }

    /**
     * Waits for candidate {@code i}. A cleartext-greeting check (STARTTLS or none) whose port
     * has meanwhile completed an implicit TLS handshake is concluded at once: that port speaks
     * TLS, and the check would only wait out its timeout for a greeting that never comes.
     */
    private TransportOutcome await(int i, List<Endpoint> candidates, List<CompletableFuture<TransportOutcome>> pending,
                                   long deadlineAt) {
        Endpoint endpoint = candidates.get(i);
        long started = System.nanoTime();
        while (true) {
            long left = deadlineAt - System.nanoTime();
            if (left <= 0) {
                CompletableFuture<TransportOutcome> done = pending.get(i);
                if (done.isDone() && !done.isCompletedExceptionally()) {
                    return done.join(); // it ended by itself, perhaps just as the deadline passed
                }
                return timedOut(endpoint, "no answer within the probe's deadline of " + deadline.toSeconds() + " s");
            }
            try {
                return pending.get(i).get(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (endpoint.security() != Security.SSL_TLS && portSpeaksTls(endpoint, candidates, pending)) {
                    return new TransportOutcome(endpoint, List.of(), Optional.of(Classified.of(
                            FailureKind.PROTOCOL_ERROR, "no greeting in cleartext: this port speaks implicit TLS (ssl)")),
                            false, since(started));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return timedOut(endpoint, "the probe was interrupted");
            } catch (ExecutionException e) {
                // TransportCheck never throws; an executor that fails its tasks ends up here.
                return new TransportOutcome(endpoint, List.of(), Optional.of(new Classified(FailureKind.PROTOCOL_ERROR,
                        "the check could not run: " + e.getCause(), e.getCause())), false, since(started));
            }
        }
    }

    private static boolean portSpeaksTls(Endpoint endpoint, List<Endpoint> candidates,
                                         List<CompletableFuture<TransportOutcome>> pending) {
        for (int j = 0; j < candidates.size(); j++) {
            Endpoint other = candidates.get(j);
            if (other.security() == Security.SSL_TLS && other.port() == endpoint.port()
                    && other.host().equals(endpoint.host()) && pending.get(j).isDone()
                    && !pending.get(j).isCompletedExceptionally() && pending.get(j).join().succeeded()) {
                return true;
            }
        }
        return false;
    }

    private TransportOutcome timedOut(Endpoint endpoint, String detail) {
        return new TransportOutcome(endpoint, List.of(), Optional.of(Classified.of(FailureKind.TIMEOUT, detail)),
                false, deadline);
    }

    private static Failure transportFailure(ImapAccount account, TransportPhase phase, MailProvider provider) {
        if (phase.certificateFailure != null) {
            return phase.certificateFailure;
        }
        if (!account.allowInsecure()) {
            for (TransportOutcome outcome : phase.outcomes) {
                if (outcome.cleartextOnly()) {
                    return Failures.describe(FailureKind.INSECURE_REFUSED, "the server answers only in cleartext"
                            + " (no STARTTLS offered) and no TLS port answered; this account does not allow"
                            + " cleartext, so no credentials were sent", account, outcome.endpoint(), provider);
                }
            }
        }
        TransportOutcome configured = phase.outcomes.get(0);
        Classified c = configured.failure().orElseThrow();
        return Failures.describe(c.kind(), c.detail() + " (alternatives tried: " + alternatives(phase) + ")",
                account, configured.endpoint(), provider);
    }

    private static String alternatives(TransportPhase phase) {
        List<String> tried = new ArrayList<>();
        for (TransportOutcome o : phase.outcomes.subList(1, phase.outcomes.size())) {
            tried.add(o.endpoint() + " " + o.failure().map(c -> c.kind().name()).orElse("OK"));
        }
        return tried.isEmpty() ? "none" : String.join(", ", tried);
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private static void startDaemon(Runnable task) {
        Thread t = new Thread(task, "imap-sync-probe-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }

    /** What the transport phase found. */
    private static final class TransportPhase {
        final List<TransportOutcome> outcomes = new ArrayList<>();
        TransportOutcome winner;
        Failure certificateFailure;
    }

    /** Settings of a {@link ConnectionProber}; each setter checks its argument. */
    public static final class Builder {
        private Duration deadline = DEFAULT_DEADLINE;
        private Duration transportTimeout = DEFAULT_TRANSPORT_TIMEOUT;
        private Executor executor;

        private Builder() {
        }

        /**
         * The time a whole probe may take (1 second to 5 minutes; default 20 seconds).
         *
         * @throws IllegalArgumentException if out of range; NullPointerException if null (so for every setter)
         */
        public Builder deadline(Duration deadline) {
            Objects.requireNonNull(deadline, "deadline");
            if (deadline.compareTo(Duration.ofSeconds(1)) < 0 || deadline.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("Probe deadline " + deadline
                        + " is out of range: give 1 second to 5 minutes (default 20 seconds)");
            }
            this.deadline = deadline;
            return this;
        }

        /**
         * How long a transport check waits for each answer before it concludes that the port
         * speaks another mode (100 ms to 1 minute; default 6 seconds).
         */
        public Builder transportTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("Transport timeout " + timeout
                        + " is out of range: give 100 ms to 1 minute (default 6 seconds)");
            }
            this.transportTimeout = timeout;
            return this;
        }

        /**
         * Runs the parallel transport checks on this executor instead of short-lived daemon
         * threads. It must run tasks concurrently (a pool of at least six threads).
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Makes the prober.
         *
         * @throws IllegalStateException if the transport timeout exceeds the deadline
         */
        public ConnectionProber build() {
            if (transportTimeout.compareTo(deadline) > 0) {
                throw new IllegalStateException("Transport timeout " + transportTimeout + " exceeds the probe deadline "
                        + deadline + ": make it shorter so alternatives can be tried in time");
            }
            return new ConnectionProber(this);
        }
    }
}
