package dev.imapsync.internal.transport;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Bounds what a server can make the IMAP client hold in memory. Angus's response reader
 * ({@code org.eclipse.angus.mail.iap.ResponseInputStream}) keeps a whole response (its lines and
 * the literals they announce) in one growing array, with no limit: a server that announces
 * {@code {2147483647}}, or sends a line that never ends, would exhaust the heap. This stream sits
 * between the socket and Angus, follows the IMAP framing as Angus does (a line ends with CRLF; a
 * line ending in {@code {n}} or {@code {n+}} announces n bytes of literal, after which the
 * response goes on) and fails with a {@link ImapLineReader.ProtocolViolation} (classified as
 * {@code PROTOCOL_ERROR}) before handing over a line longer than {@link #MAX_LINE_BYTES}, a literal
 * announced larger than {@link #MAX_LITERAL_BYTES} (or negative), or a response larger than their
 * sum.
 *
 * <p>It scans each bulk read once, after the read, in a tight loop over the array (literal bytes
 * are skipped by count, not looked at), so it adds no per-byte calls. Confined to the thread
 * that reads the connection.
 *
 * <p>Before STARTTLS, it can be asked to hand over one line at a time
 * ({@link #lineByLine}): the bytes after the server's answer to STARTTLS then stay in the
 * socket, where {@link GuardedSocket} sees them before the handshake.
 */
final class FramingGuard extends FilterInputStream {
    /**
     * The longest response line accepted, 1 MiB. IMAP lines are short except for long SEARCH
     * answers ({@code * SEARCH} with every UID of a large folder: about 8 bytes a UID, so some
     * 130,000 UIDs fit; the engine searches by windows and ranges, well below that).
     */
    static final int MAX_LINE_BYTES = 1 << 20;

    /**
     * The largest literal accepted, 64 MiB: header literals are a few kilobytes, and a whole
     * message (which the engine never fetches) rarely exceeds the 25-50 MB providers accept.
     */
    static final long MAX_LITERAL_BYTES = 64L << 20;

    /** The largest response (lines and literals together). */
    static final long MAX_RESPONSE_BYTES = MAX_LITERAL_BYTES + MAX_LINE_BYTES;

    private static final int TAIL = 32;

    private final GuardedSocket owner;
    private final int maxLine;
    private final long maxLiteral;
    private final long maxResponse;
    private final byte[] tail = new byte[TAIL];
    private final byte[] one = new byte[1];
    private int tailLength;
    private long lineBytes;
    private long responseBytes;
    private long literalLeft;
    private volatile boolean lineByLine;

    FramingGuard(InputStream in) {
        this(in, MAX_LINE_BYTES, MAX_LITERAL_BYTES, null);
    }

    FramingGuard(InputStream in, GuardedSocket owner) {
        this(in, MAX_LINE_BYTES, MAX_LITERAL_BYTES, owner);
    }

    FramingGuard(InputStream in, int maxLine, long maxLiteral) {
        this(in, maxLine, maxLiteral, null);
    }

    private FramingGuard(InputStream in, int maxLine, long maxLiteral, GuardedSocket owner) {
        super(in);
        this.owner = owner;
        this.maxLine = maxLine;
        this.maxLiteral = maxLiteral;
        this.maxResponse = maxLiteral + maxLine;
    }

    /** The plain socket this guard reads, or null. */
    GuardedSocket owner() {
        return owner;
    }

    /** One line per read at most (no read-ahead), or bulk reads again. */
    void lineByLine(boolean on) {
        lineByLine = on;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n;
        if (lineByLine && literalLeft == 0) {
            n = readLine(b, off, len);
        } else {
            n = in.read(b, off, len);
        }
        if (n > 0) {
            scan(b, off, off + n);
        }
        return n;
    }

    /** Reads single bytes up to and including the next LF, so that nothing past it leaves the socket. */
    private int readLine(byte[] b, int off, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int c = in.read();
            if (c < 0) {
                return n == 0 ? -1 : n;
            }
            b[off + n++] = (byte) c;
            if (c == '\n') {
                break;
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // through read(), so that skipped bytes are framed like read ones
        byte[] scratch = new byte[(int) Math.min(n, 8192)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported: a reset would replay bytes the framing has already counted
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void scan(byte[] b, int from, int to) throws IOException {
        int i = from;
        while (i < to) {
            if (literalLeft > 0) {
                int k = (int) Math.min(literalLeft, to - i);
                literalLeft -= k;
                i += k;
                continue;
            }
            int j = i;
            while (j < to && b[j] != '\n') {
                j++;
            }
            int segment = j - i;
            lineBytes += segment;
            responseBytes += segment;
            if (lineBytes > maxLine) {
                throw new ImapLineReader.ProtocolViolation("the server sent a response line longer than "
                        + maxLine + " bytes; the connection was closed to keep memory bounded");
            }
            if (responseBytes > maxResponse) {
                throw tooLarge();
            }
            keepTail(b, i, j);
            if (j == to) {
                return;
            }
            i = j + 1; // past the LF
            responseBytes++;
            if (tailLength > 0 && tail[tailLength - 1] == '\r') {
                endOfLine();
            } else {
                // a bare LF does not end an IMAP line (nor Angus's)
                lineBytes++;
                keepTail(b, j, j + 1);
            }
        }
    }

    /** A CRLF ended a line: either it announces a literal, or the response is complete. */
    private void endOfLine() throws IOException {
        long literal = announcedLiteral();
        tailLength = 0;
        lineBytes = 0;
        if (literal < 0) {
            responseBytes = 0;
            return;
        }
        if (literal > maxLiteral) {
            throw new ImapLineReader.ProtocolViolation("the server announced a literal of " + literal
                    + " bytes, more than the limit of " + maxLiteral + " bytes; the connection was closed to keep"
                    + " memory bounded");
        }
        if (responseBytes + literal > maxResponse) {
            throw tooLarge();
        }
        literalLeft = literal;
        responseBytes += literal;
    }

    private ImapLineReader.ProtocolViolation tooLarge() {
        return new ImapLineReader.ProtocolViolation("the server sent a response larger than " + maxResponse
                + " bytes; the connection was closed to keep memory bounded");
    }

    /**
     * The size announced by the line in {@link #tail} (which ends with CR): {@code {n}} or
     * {@code {n+}} at its end; -1 when the line announces none.
     *
     * @throws ImapLineReader.ProtocolViolation for a negative size, such as {@code {-1}}
     */
    private long announcedLiteral() throws IOException {
        int close = tailLength - 2; // before the CR
        if (close < 1 || tail[close] != '}') {
            return -1;
        }
        int end = close;
        if (tail[end - 1] == '+') {
            end--;
        }
        int open = end - 1;
        while (open >= 0 && tail[open] != '{') {
            open--;
        }
        if (open < 0 || open == end - 1) {
            return -1;
        }
        int start = open + 1;
        boolean negative = tail[start] == '-';
        if (negative) {
            start++;
        }
        if (start == end) {
            return -1;
        }
        long value = 0;
        for (int k = start; k < end; k++) {
            byte c = tail[k];
            if (c < '0' || c > '9') {
                return -1; // not a literal, for Angus either
            }
            value = Math.min(value * 10 + (c - '0'), Long.MAX_VALUE / 20);
        }
        if (negative && value > 0) {
            throw new ImapLineReader.ProtocolViolation("the server announced a literal of -" + value + " bytes");
        }
        return value;
    }

    /** Keeps the last {@value #TAIL} bytes of the current line, where a literal's size is announced. */
    private void keepTail(byte[] b, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return;
        }
        if (n >= TAIL) {
            System.arraycopy(b, to - TAIL, tail, 0, TAIL);
            tailLength = TAIL;
            return;
        }
        int keep = Math.min(tailLength, TAIL - n);
        System.arraycopy(tail, tailLength - keep, tail, 0, keep);
        System.arraycopy(b, from, tail, keep, n);
        tailLength = keep + n;
    }
}
