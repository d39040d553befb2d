package dev.imapsync.examples.cli;

/** The CLI's exit codes. */
final class ExitCodes {
    /** It worked. */
    static final int OK = 0;
    /** The operation ran and failed (the server said no, the network failed). */
    static final int FAILED = 1;
    /** The command line was wrong. */
    static final int USAGE = 2;
    /** A bug or an unexpected error. */
    static final int ERROR = 3;

    private ExitCodes() {
    }
}
