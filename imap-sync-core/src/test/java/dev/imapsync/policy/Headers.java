package dev.imapsync.policy;

import dev.imapsync.internal.message.HeaderParser;
import dev.imapsync.internal.message.MessageHeaders;
import java.nio.charset.StandardCharsets;

/** Message facts from a header block, read as a sync reads it (the header parser, then the facts). */
final class Headers {
    static final String ACCOUNT = "acct-1";

    private Headers() {
    }

    /** The facts of a header block (lines joined with CRLF). */
    static MessageFacts facts(String... lines) {
        String block = String.join("\r\n", lines) + "\r\n\r\n";
        MessageHeaders h = HeaderParser.standard().parse(block.getBytes(StandardCharsets.UTF_8));
        return new MessageFacts(ACCOUNT, "INBOX", h.from(), h.sender(), h.to(), h.cc(), h.bcc(), h.subject(),
                h.policyHeaders());
    }
}
