package dev.imapsync.internal.mail;

import java.io.IOException;
import org.eclipse.angus.mail.iap.Protocol;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;

/**
 * An IMAP response that says where its parser stands in its bytes, so that a value (a
 * BODYSTRUCTURE) can be handed over as a slice of the response, raw, literals included.
 */
final class RawResponse extends IMAPResponse {
    RawResponse(Protocol p) throws IOException, ProtocolException {
        super(p);
    }

    /** Where the next byte the parser reads is in {@link #bytes()}. */
    int position() {
        return index;
    }

    /** Sets where the parser reads next, to read the response again from {@link #position()}. */
    void rewind(int position) {
        index = position;
    }

    /** The response's bytes (valid until the next response is read). */
    byte[] bytes() {
        return buffer;
    }
}
