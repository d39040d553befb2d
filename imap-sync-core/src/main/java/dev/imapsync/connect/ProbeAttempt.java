package dev.imapsync.connect;

import dev.imapsync.account.Endpoint;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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
