package dev.imapsync.sync;

import dev.imapsync.Failure;
import java.util.Locale;

/**
 * The message and hint an account's status shows after a sync: the failure's, and the messages
 * the window left out when there are any, so that a first sync that imported only recent mail
 * says so instead of a bare OK.
 */
final class StatusText {
    private StatusText() {
    }

    /** The failure's message, then what the window left out; empty when neither. */
    static String message(SyncReport report) {
        String failure = report.failure().map(Failure::message).orElse("");
        long leftOut = report.leftOut();
        if (leftOut == 0) {
            return failure;
        }
        String note = String.format(Locale.ROOT, "%,d older message%s %s not imported; widen the window to import them",
                leftOut, leftOut == 1 ? "" : "s", leftOut == 1 ? "was" : "were");
        return failure.isEmpty() ? note : failure + " (" + note + ")";
    }

    /** The failure's hint, or how to widen the window when messages were left out. */
    static String hint(SyncReport report) {
        String failure = report.failure().map(Failure::hint).orElse("");
        if (!failure.isEmpty() || report.leftOut() == 0) {
            return failure;
        }
        return "Sync again with a longer initial window (SyncOptions.initialWindow, or the CLI's --initial-days):"
                + " the next sync imports the older messages in it, newest first";
    }
}
