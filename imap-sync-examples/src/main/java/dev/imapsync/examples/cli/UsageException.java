package dev.imapsync.examples.cli;

/** Bad input on the command line; its message is the one line the user sees. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
