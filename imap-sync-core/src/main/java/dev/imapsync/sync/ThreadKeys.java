package dev.imapsync.sync;

import dev.imapsync.internal.message.MessageHeaders;
import java.util.Optional;

/**
 * The thread a message belongs to, on every server. Keys:
 * <ul>
 *   <li>{@code gm:<X-GM-THRID>} on Gmail, whose threads span every folder of the account;</li>
 *   <li>{@code tid:<THREADID>} where the server offers RFC 8474 OBJECTID and answers a THREADID
 *       (Cyrus does; Dovecot answers NIL, as it keeps no threads);</li>
 *   <li>{@code ref:<root Message-ID>} elsewhere: the first id of References (the thread's first
 *       message, RFC 5322 section 3.6.4), else In-Reply-To, else the message's own Message-ID. A
 *       reply in Sent and the message it answers in INBOX so share a key across folders and
 *       accounts, and a reply recorded before its parent already has the key the parent will
 *       get. The stores join what a broken References chain splits (a reply that names only its
 *       parent in In-Reply-To, a parent that is itself a reply): see {@link dev.imapsync.store.SyncStore}.</li>
 * </ul>
 * Empty for a message with neither a server thread nor any Message-ID.
 */
final class ThreadKeys {
    /** The longest key a store keeps. */
    static final int MAX_LENGTH = 255;

    private ThreadKeys() {
    }

    static Optional<String> of(long gmailThreadId, String objectThreadId, MessageHeaders h) {
        if (gmailThreadId >= 0) {
            return Optional.of("gm:" + Long.toUnsignedString(gmailThreadId));
        }
        if (objectThreadId != null && !objectThreadId.isEmpty()) {
            return Optional.of("tid:" + objectThreadId);
        }
        Optional<String> root = h.references().stream().filter(id -> !id.isEmpty()).findFirst()
                .or(() -> h.inReplyTo().filter(id -> !id.isEmpty()))
                .or(() -> h.messageId().filter(id -> !id.isEmpty()));
        return root.map(id -> "ref:" + id).filter(key -> key.length() <= MAX_LENGTH);
    }
}
