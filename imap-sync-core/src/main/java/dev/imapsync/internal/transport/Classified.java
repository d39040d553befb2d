package dev.imapsync.internal.transport;

import dev.imapsync.FailureKind;
import java.util.Objects;

/**
 * A failure kind with the technical detail that explains it (never a secret), before the
 * public layer adds the account, the endpoint and a hint.
 *
 * @param kind   the classification
 * @param detail what happened, e.g. "the certificate is issued for mail.example.org, not imap.example.com"
 * @param cause  the exception behind it, or null
 */
public record Classified(FailureKind kind, String detail, Throwable cause) {
    /** Validates kind and detail. */
    public Classified {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /** A classification without an exception behind it. */
    public static Classified of(FailureKind kind, String detail) {
        return new Classified(kind, detail, null);
    }
}
