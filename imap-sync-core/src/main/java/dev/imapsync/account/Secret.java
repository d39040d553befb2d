package dev.imapsync.account;

import java.util.Objects;

/**
 * A password or token. Its {@link #toString()} prints {@code ****}, so a secret cannot leak
 * through logs, exception messages or the {@code toString()} of a record that holds one.
 * Two secrets are never {@code equals} unless they are the same object.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * Wraps a secret value.
     *
     * @throws IllegalArgumentException if the value is empty or holds CR, LF or NUL
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "secret value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("The secret is empty: give the password or token");
        }
        // no one types these; they come from a file or variable read with its line end, and a NUL
        // would split AUTHENTICATE PLAIN (the value itself is never put in a message)
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("The secret holds a line break or NUL character (often the line end of"
                    + " the file or variable it was read from): remove it");
        }
        return new Secret(value);
    }

    /** The clear value, for the one place that sends it to the server. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "****";
    }
}
