package dev.imapsync.spring.boot;

/**
 * imap-sync could not be configured from the application: a part is missing (no
 * {@code ContactMatcher}, no key for the stored accounts) or unusable. The message says what is
 * wrong, {@link #action()} what to do; Spring Boot prints both when the start fails.
 */
public class ImapSyncConfigurationException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String action;

    /**
     * @param message what is wrong
     * @param action  what to do about it
     * @param cause   the underlying failure, or null
     */
    public ImapSyncConfigurationException(String message, String action, Throwable cause) {
        super(message + " " + action, cause);
        this.action = action;
    }

    /** What to do about it. */
    public String action() {
        return action;
    }
}
