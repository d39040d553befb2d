package dev.imapsync.internal.mail;

import dev.imapsync.FailureKind;
import dev.imapsync.internal.transport.Classified;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * One folder opened read-only (EXAMINE) to read single messages: their header fields (as the
 * sync reads them), the whole message parsed by Jakarta Mail, or one part streamed decoded. Every
 * fetch uses {@code BODY.PEEK}, so {@code \Seen} never changes; every read is capped.
 */
public final class MessageFolder implements AutoCloseable {
    /** A session that only parses: it never connects. */
    private static final Session PARSING = Session.getInstance(new Properties());

    private final FolderReader reader;
    private final String name;

    MessageFolder(FolderReader reader, String name) {
        this.reader = reader;
        this.name = name;
    }

    /** The folder's current UIDVALIDITY (0 when the server sends none). */
    public long uidValidity() throws ConnectionFailure {
        try {
            // only what EXAMINE said: FolderReader.state() would also ask for HIGHESTMODSEQ, a round trip more
            return Math.max(0, reader.folder().getUIDValidity());
        } catch (MessagingException e) {
            throw new ConnectionFailure(CommandFailures.classify(e, "reading the UIDVALIDITY of folder " + name));
        }
    }

    /**
     * {@code UID SEARCH criteria}.
     *
     * @param criteria search keys, strings already quoted
     * @return the UIDs found, ascending
     */
    public long[] search(String criteria) throws ConnectionFailure {
        return reader.searchUids(criteria);
    }

    /**
     * The header fields the sync reads (and X-GM-MSGID on Gmail), with UID, INTERNALDATE and
     * RFC822.SIZE, of one message; empty when no message has this UID.
     */
    public Optional<FetchedMessage> headers(long uid) throws ConnectionFailure {
        FetchedMessage[] found = {null};
        reader.fetchHeaders(new long[] {uid}, m -> found[0] = copy(m));
        return Optional.ofNullable(found[0]);
    }

    /**
     * What {@link #peek} read of one message: its header fields and its first bytes.
     *
     * @param headers   the header fields, as {@link #headers(long)} reads them; empty when no
     *                  message has this UID
     * @param start     the message's first bytes as stored; null when the server sent none
     * @param complete  whether {@code start} is the whole message (the server sent fewer bytes
     *                  than asked for)
     */
    public record Peek(Optional<FetchedMessage> headers, byte[] start, boolean complete) {
        /** Nothing read yet: {@link #whole(long, int, Peek)} fetches the message itself. */
        public static Peek nothing() {
            return new Peek(Optional.empty(), null, false);
        }
    }

    /**
     * The header fields of one message and its first {@code startBytes} bytes, in one round
     * trip (two commands written back to back: {@link FolderReader#fetchHeadersAndStart}). The
     * caller checks the header fields before it uses the bytes, and drops them when the check
     * fails: they cost a download then, never a wrong message, since both are of this UID.
     */
    public Peek peek(long uid, int startBytes) throws ConnectionFailure {
        FetchedMessage[] found = {null};
        byte[][] start = {null};
        // one byte more than wanted: fewer than that means the message ended, so it came whole
        reader.fetchHeadersAndStart(uid, startBytes + 1, m -> found[0] = copy(m), (u, buffer, offset, length) ->
                start[0] = Arrays.copyOfRange(buffer, offset, offset + length));
        return new Peek(Optional.ofNullable(found[0]), start[0], start[0] != null && start[0].length <= startBytes);
    }

    private static FetchedMessage copy(FetchedMessage m) {
        byte[] copy = new byte[m.headerLength()];
        System.arraycopy(m.headers(), m.headerOffset(), copy, 0, copy.length);
        return new FetchedMessage(m.uid(), m.internalDateMillis(), m.size(), copy, 0, copy.length,
                m.gmailMessageId(), m.gmailThreadId(), m.objectThreadId());
    }

    /**
     * The whole message ({@code UID FETCH uid BODY.PEEK[]<0.max+1>}), parsed by Jakarta Mail.
     *
     * @return empty when the server sent no such message
     * @throws TooLarge when the server sends more than {@code maxBytes}
     */
    public Optional<MimeMessage> whole(long uid, int maxBytes) throws ConnectionFailure, TooLarge {
        return whole(uid, maxBytes, Peek.nothing());
    }

    /**
     * As {@link #whole(long, int)}, with what {@link #peek} already read of the message: when that
     * was all of it, no command is sent; when it was its start, only the rest is fetched
     * ({@code BODY.PEEK[]<start.rest>}).
     */
    public Optional<MimeMessage> whole(long uid, int maxBytes, Peek peeked) throws ConnectionFailure, TooLarge {
        byte[] start = peeked.start();
        byte[] body = null;
        if (start != null && (peeked.complete() || start.length > maxBytes)) {
            body = start;
        } else if (start != null) {
            Optional<byte[]> rest = fetchBody(uid, start.length, maxBytes + 1L - start.length);
            if (rest.isPresent()) {
                body = Arrays.copyOf(start, start.length + rest.get().length);
                System.arraycopy(rest.get(), 0, body, start.length, rest.get().length);
            } // else the server did not send the rest from where the start ended: fetch it all again
        }
        if (body == null) {
            Optional<byte[]> all = fetchBody(uid, 0, (long) maxBytes + 1);
            if (all.isEmpty()) {
                return Optional.empty();
            }
            body = all.get();
        }
        if (body.length > maxBytes) {
            throw new TooLarge(body.length);
        }
        try {
            return Optional.of(new MimeMessage(PARSING, new ByteArrayInputStream(body)));
        } catch (MessagingException e) {
            throw new ConnectionFailure(new Classified(FailureKind.PROTOCOL_ERROR,
                    "the message UID " + uid + " of folder " + name + " could not be parsed: " + e.getMessage(), e));
        }
    }

    /**
     * {@code UID FETCH uid (UID BODY.PEEK[]<origin.count>)}: empty when the server sent no such
     * message, or (past the start) sent bytes from elsewhere than {@code origin}.
     */
    private Optional<byte[]> fetchBody(long uid, int origin, long count) throws ConnectionFailure {
        byte[][] body = {null};
        String what = "fetching message UID " + uid + " from folder " + name;
        try {
            reader.folder().doCommand(p -> {
                Response[] responses = p.command("UID FETCH " + uid + " (UID BODY.PEEK[]<" + origin + "." + count
                        + ">)", null);
                Response last = responses[responses.length - 1];
                for (int i = 0; i < responses.length - 1; i++) {
                    if (responses[i] instanceof FetchResponse) {
                        FetchResponse fetch = (FetchResponse) responses[i];
                        UID u = fetch.getItem(UID.class);
                        BODY b = fetch.getItem(BODY.class);
                        if (u != null && u.uid == uid && b != null && b.getByteArray() != null
                                && (origin == 0 || b.getOrigin() == origin)) {
                            ByteArray bytes = b.getByteArray();
                            byte[] copy = new byte[bytes.getCount()];
                            System.arraycopy(bytes.getBytes(), bytes.getStart(), copy, 0, copy.length);
                            body[0] = copy;
                            responses[i] = null;
                        }
                    }
                }
                p.notifyResponseHandlers(responses);
                p.handleResult(last);
                return null;
            });
        } catch (MessagingException | RuntimeException e) {
            throw new ConnectionFailure(CommandFailures.classify(e, what));
        }
        return Optional.ofNullable(body[0]);
    }

    /**
     * The message as Angus reads it lazily from its BODYSTRUCTURE: each part's bytes are fetched
     * ({@code BODY.PEEK[part]}, in blocks) only when read. For messages too large to fetch whole,
     * and to stream one part.
     *
     * @return empty when no message has this UID
     */
    public Optional<Message> lazy(long uid) throws ConnectionFailure {
        try {
            return Optional.ofNullable(((IMAPFolder) reader.folder()).getMessageByUID(uid));
        } catch (MessagingException | RuntimeException e) {
            throw new ConnectionFailure(CommandFailures.classify(e, "finding message UID " + uid + " in folder "
                    + name));
        }
    }

    /**
     * Streams one part of a message, decoded (base64, quoted-printable), into {@code out}.
     *
     * @param part     the IMAP part number, as {@link MimeStructure} numbers them
     * @param maxBytes the most decoded bytes to write
     * @return the bytes written, or -1 when no message has this UID, -2 when it has no such part
     * @throws TooLarge when the part is larger than {@code maxBytes}: refused before a byte is
     *                  written when its size says so, else once {@code maxBytes} were written
     * @throws IOException when {@code out} fails
     */
    public long copyPart(long uid, String part, OutputStream out, long maxBytes)
            throws ConnectionFailure, TooLarge, IOException {
        Optional<Message> message = lazy(uid);
        if (message.isEmpty()) {
            return -1;
        }
        String what = "reading part " + part + " of message UID " + uid + " in folder " + name;
        try {
            Part found = MimeStructure.find(message.get(), part);
            if (found == null) {
                return -2;
            }
            long least = MimeStructure.leastDecodedSize(found);
            if (least > maxBytes) {
                throw new TooLarge(least);
            }
            long written = copy(found, out, maxBytes, what);
            if (written == 0 && found.getSize() > 0) {
                // Angus reads a NO to the fetch as an empty part: say so rather than hand over nothing
                throw new ConnectionFailure(new Classified(FailureKind.PROTOCOL_ERROR, "the server sent none of the "
                        + found.getSize() + " bytes of part " + part + " of message UID " + uid + " in folder " + name,
                        null));
            }
            return written;
        } catch (MessagingException | RuntimeException e) {
            throw new ConnectionFailure(CommandFailures.classify(e, what));
        }
    }

    /** Copies decoded bytes; a failure to read is the server's, a failure to write the caller's. */
    private static long copy(Part part, OutputStream out, long maxBytes, String what)
            throws MessagingException, ConnectionFailure, TooLarge, IOException {
        long written = 0;
        byte[] buffer = new byte[64 * 1024];
        InputStream in;
        try {
            in = part.getInputStream();
        } catch (IOException e) {
            throw new ConnectionFailure(CommandFailures.classify(e, what));
        }
        try (in) {
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    throw new ConnectionFailure(CommandFailures.classify(e, what));
                }
                if (n < 0) {
                    return written;
                }
                if (written + n > maxBytes) {
                    out.write(buffer, 0, (int) (maxBytes - written));
                    throw new TooLarge(written + n);
                }
                out.write(buffer, 0, n);
                written += n;
            }
        }
    }

    /** Closes the folder (no EXPUNGE: it was opened read-only). Safe twice. */
    @Override
    public void close() {
        reader.close();
    }

    /**
     * Closes the folder as the last command before the connection logs out: CLOSE is written
     * and its answer never waited for (the LOGOUT that follows is not waited for either). On a
     * folder opened read-only CLOSE expunges nothing, so there is nothing to learn from its
     * answer; waiting for it cost {@code show} a round trip. Nothing may be sent on the
     * connection after this but LOGOUT. Safe twice, and after {@link #close()}.
     */
    public void closeBeforeLogout() {
        reader.closeBeforeLogout();
    }

    /** What was read is larger than the cap the caller set. */
    public static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;
        private final long size;

        TooLarge(long size) {
            super("larger than the cap: at least " + size + " bytes", null, false, false);
            this.size = size;
        }

        /** At least how many bytes it has. */
        public long size() {
            return size;
        }
    }

    @Override
    public String toString() {
        return "MessageFolder[" + name + "]";
    }
}
