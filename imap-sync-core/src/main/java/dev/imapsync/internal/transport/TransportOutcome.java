package dev.imapsync.internal.transport;

import dev.imapsync.account.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one transport check found: the server's capabilities before login (after TLS), or why
 * the transport is not usable.
 *
 * @param endpoint       what was checked
 * @param capabilities   capabilities announced over the finished transport, upper case; empty on failure
 * @param failure        why it is not usable, empty when it is
 * @param cleartextOnly  the server answered in cleartext and offered no STARTTLS
 * @param duration       how long the check took
 */
public record TransportOutcome(Endpoint endpoint, List<String> capabilities, Optional<Classified> failure,
                               boolean cleartextOnly, Duration duration) {
    /** Validates and copies. */
    public TransportOutcome {
        Objects.requireNonNull(endpoint, "endpoint");
        capabilities = List.copyOf(capabilities);
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(duration, "duration");
    }

    /** Whether the transport works. */
    public boolean succeeded() {
        return failure.isEmpty();
    }

    /** Whether the server offers this capability (case-insensitive). */
    public boolean hasCapability(String capability) {
        return capabilities.stream().anyMatch(c -> c.equalsIgnoreCase(capability));
    }
}
