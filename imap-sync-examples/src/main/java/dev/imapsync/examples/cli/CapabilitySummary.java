package dev.imapsync.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The capabilities a person reads after a successful login: those that change what a sync
 * can do (IDLE, CONDSTORE/QRESYNC, SPECIAL-USE, ESEARCH, …), in a fixed order, the sign-in
 * mechanisms summarized, and how many others the {@code --json} answer holds. Leftovers that a
 * server may still list after a login, such as {@code LOGINDISABLED} or {@code STARTTLS}, would
 * only contradict the success printed beside them, so they are among the others.
 */
final class CapabilitySummary {
    /** What matters to a person, in the order shown. */
    private static final List<String> NOTABLE = List.of(
            "IMAP4REV2", "IDLE", "CONDSTORE", "QRESYNC", "SPECIAL-USE", "ESEARCH", "MOVE", "UIDPLUS",
            "COMPRESS=DEFLATE", "X-GM-EXT-1", "ID", "NAMESPACE", "LIST-EXTENDED", "LIST-STATUS", "UTF8=ACCEPT",
            "QUOTA", "SORT", "THREAD=REFERENCES", "NOTIFY");

    private CapabilitySummary() {
    }

    /**
     * One line, e.g. {@code IDLE CONDSTORE QRESYNC SPECIAL-USE; sign-in: PLAIN, XOAUTH2; 9 more
     * with --json}, or {@code none of note; 3 more with --json}.
     */
    static String of(List<String> capabilities) {
        Set<String> all = new LinkedHashSet<>();
        for (String c : capabilities) {
            all.add(c.toUpperCase(Locale.ROOT));
        }
        List<String> notable = new ArrayList<>();
        for (String c : NOTABLE) {
            if (all.contains(c)) {
                notable.add(c);
            }
        }
        List<String> signIn = new ArrayList<>();
        for (String c : all) {
            if (c.startsWith("AUTH=")) {
                signIn.add(c.substring("AUTH=".length()));
            }
        }
        int others = all.size() - notable.size() - signIn.size();
        StringBuilder line = new StringBuilder(notable.isEmpty() ? "none of note" : String.join(" ", notable));
        if (!signIn.isEmpty()) {
            line.append("; sign-in: ").append(String.join(", ", signIn));
        }
        if (others > 0) {
            line.append("; ").append(others).append(" more with --json");
        }
        return line.toString();
    }
}
