package dev.imapsync.sync;

import dev.imapsync.internal.mail.FolderReader;
import dev.imapsync.policy.BlockEntry;
import java.time.LocalDate;
import java.util.List;

/**
 * The UID SEARCH that finds, among the messages a folder's checkpoint already covers, those of
 * unblocked entries: {@code UID 1:<last> SINCE <window start> OR FROM x OR TO x OR CC x BCC x},
 * one such group per entry, joined with OR. SEARCH's FROM, TO, CC and BCC match substrings of the
 * header (RFC 3501 6.4.4), so a domain finds its subdomains too; what it finds beyond the entry
 * (a display name that mentions the domain) costs a few fetches and the policies decide again. An
 * entry that is not plain ASCII would need a CHARSET that not every server takes, so it reads the
 * whole window again instead.
 */
final class RevisitSearch {
    private RevisitSearch() {
    }

    static String criteria(List<BlockEntry> entries, long lastUid, LocalDate since) {
        String base = "UID 1:" + lastUid + " SINCE " + FolderReader.searchDate(since);
        StringBuilder any = new StringBuilder();
        for (int i = 0; i < entries.size(); i++) {
            String value = entries.get(i).value();
            if (!value.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
                return base;
            }
            String q = quoted(value);
            String one = "OR FROM " + q + " OR TO " + q + " OR CC " + q + " BCC " + q;
            // prefix notation needs no parentheses (which GreenMail does not take): OR g1 OR g2 g3
            any.append(i < entries.size() - 1 ? "OR " + one + " " : one);
        }
        return entries.isEmpty() ? base : base + " " + any;
    }

    /**
     * An address or domain as a search string: an atom when it may be one (GreenMail takes the
     * quotes of a quoted string as part of the value), else quoted.
     */
    private static String quoted(String value) {
        if (value.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || ".-_@+=!#$&'^`|~/?".indexOf(c) >= 0)) {
            return value;
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
