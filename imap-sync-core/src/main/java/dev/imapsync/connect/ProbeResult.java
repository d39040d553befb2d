package dev.imapsync.connect;

import dev.imapsync.Failure;
import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.MailProvider;
import dev.imapsync.folder.MailFolder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a probe found: either a working endpoint with the server's capabilities, the provider
 * and the folders, or one classified {@link Failure}. Either way it lists every
 * {@link ProbeAttempt}, so a person can see what was tried.
 */
public final class ProbeResult {
    private final ImapAccount account;
    private final Endpoint endpoint;
    private final MailProvider provider;
    private final List<String> capabilities;
    private final List<MailFolder> folders;
    private final List<ProbeAttempt> attempts;
    private final Failure failure;
    private final Duration duration;

    private ProbeResult(ImapAccount account, Endpoint endpoint, MailProvider provider, List<String> capabilities,
                        List<MailFolder> folders, List<ProbeAttempt> attempts, Failure failure, Duration duration) {
        this.account = Objects.requireNonNull(account, "account");
        this.endpoint = endpoint;
        this.provider = Objects.requireNonNull(provider, "provider");
        this.capabilities = List.copyOf(capabilities);
        this.folders = List.copyOf(folders);
        this.attempts = List.copyOf(attempts);
        this.failure = failure;
        this.duration = Objects.requireNonNull(duration, "duration");
    }

    /** A probe that logged in at {@code endpoint}. */
    public static ProbeResult success(ImapAccount account, Endpoint endpoint, MailProvider provider,
                                      List<String> capabilities, List<MailFolder> folders,
                                      List<ProbeAttempt> attempts, Duration duration) {
        return new ProbeResult(account, Objects.requireNonNull(endpoint, "endpoint"), provider, capabilities,
                folders, attempts, null, duration);
    }

    /** A probe that failed. */
    public static ProbeResult failure(ImapAccount account, MailProvider provider, Failure failure,
                                      List<ProbeAttempt> attempts, Duration duration) {
        return new ProbeResult(account, null, provider, List.of(), List.of(), attempts,
                Objects.requireNonNull(failure, "failure"), duration);
    }

    /** Whether the mailbox can be used: a transport worked and the login succeeded. */
    public boolean ok() {
        return failure == null;
    }

    /** The account that was probed, as configured. */
    public ImapAccount account() {
        return account;
    }

    /** The endpoint that worked (it may differ from the configured one), empty on failure. */
    public Optional<Endpoint> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    /**
     * The account with the endpoint that worked, ready to be stored or synced.
     *
     * @throws IllegalStateException if the probe failed
     */
    public ImapAccount workingAccount() {
        if (endpoint == null) {
            throw new IllegalStateException("The probe of account " + account.id() + " failed, so there is no working"
                    + " endpoint: " + failure);
        }
        return account.withEndpoint(endpoint);
    }

    /** The provider, recognized by domain, host, capabilities and folder layout. */
    public MailProvider provider() {
        return provider;
    }

    /** The server's capabilities after login (upper case), empty on failure. */
    public List<String> capabilities() {
        return capabilities;
    }

    /** The folders with their roles, empty on failure. */
    public List<MailFolder> folders() {
        return folders;
    }

    /** Everything that was tried, in the order of preference. */
    public List<ProbeAttempt> attempts() {
        return attempts;
    }

    /** Why the probe failed, empty when it worked. */
    public Optional<Failure> failure() {
        return Optional.ofNullable(failure);
    }

    /** How long the whole probe took. */
    public Duration duration() {
        return duration;
    }

    @Override
    public String toString() {
        return ok()
                ? "ProbeResult[ok, account=" + account.id() + ", endpoint=" + endpoint + ", provider=" + provider
                        + ", folders=" + folders.size() + ", attempts=" + attempts + "]"
                : "ProbeResult[failed, account=" + account.id() + ", " + failure + ", attempts=" + attempts + "]";
    }

    /**
     * One thing the prober tried: a transport (TCP, TLS or STARTTLS, greeting and CAPABILITY,
     * without credentials) or the one login.
     *
     * @param endpoint where it was tried
     * @param step     what was tried
     * @param failure  why it failed, or empty when it worked
     * @param duration how long it took
     */
    public record ProbeAttempt(Endpoint endpoint, Step step, Optional<Failure> failure, Duration duration) {

        /** What an attempt tried. */
        public enum Step {
            /** Connect, negotiate TLS or STARTTLS, read the greeting and capabilities; no credentials sent. */
            TRANSPORT,
            /** Authenticate and list folders. */
            LOGIN
        }

        /** Validates that all parts are present. */
        public ProbeAttempt {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(duration, "duration");
        }

        /** Whether this attempt worked. */
        public boolean succeeded() {
            return failure.isEmpty();
        }

        /** {@code OK}, or the failure kind's name (e.g. {@code TLS_HANDSHAKE}). */
        public String outcome() {
            return failure.map(f -> f.kind().name()).orElse("OK");
        }

        /** e.g. {@code TRANSPORT imap.example.com:993 (ssl) OK in 42 ms}. */
        @Override
        public String toString() {
            return step + " " + endpoint + " " + outcome() + " in " + duration.toMillis() + " ms";
        }
    }
}
