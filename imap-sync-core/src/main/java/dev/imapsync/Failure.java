package dev.imapsync;

import java.util.Objects;

/**
 * A classified failure: its kind, a message that names the account, host, port and mode, and
 * a hint that tells a person what to do next.
 *
 * @param kind    what went wrong, in one word
 * @param message what happened, to which account and endpoint
 * @param hint    what to do about it
 */
public record Failure(FailureKind kind, String message, String hint) {
    /** Validates that all parts are present. */
    public Failure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(hint, "hint");
    }

    /** {@code KIND: message Hint: hint}. */
    @Override
    public String toString() {
        return kind + ": " + message + " Hint: " + hint;
    }
}
