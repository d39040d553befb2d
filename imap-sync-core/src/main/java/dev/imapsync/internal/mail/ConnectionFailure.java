package dev.imapsync.internal.mail;

import dev.imapsync.internal.transport.Classified;

/** A login or command failed; carries the classification (never a secret). */
public final class ConnectionFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Classified classified;

    ConnectionFailure(Classified classified) {
        super(classified.kind() + ": " + classified.detail(), classified.cause());
        this.classified = classified;
    }

    /** What went wrong. */
    public Classified classified() {
        return classified;
    }
}
