package dev.imapsync.internal.mail;

import dev.imapsync.internal.transport.ImapProtocolViolation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ResponseInputStream;

/**
 * Reads whole IMAP responses (a line, and each literal it announces with the line after it)
 * for Angus's protocol layer, in its place: the same bytes come back in the same
 * {@link ByteArray}, but read in bulk from a buffer of its own instead of one synchronized
 * {@code read()} per byte, and within limits a server cannot push past.
 *
 * <p>Angus's own reader has no limit and takes malformed literal sizes as the end of the
 * response ({@code {4294967295}}) or as nothing ({@code {-1}}), which desynchronizes the
 * stream. Here a line longer than {@link #MAX_LINE}, a response larger than
 * {@link #MAX_RESPONSE}, a literal size that is not a number of at most that many bytes, or
 * parentheses and braces that Angus's parsers cannot walk safely (nested deeper than
 * {@link #MAX_NESTING}, one that nothing after it closes, a brace that announces no literal: see
 * {@link ResponseStructure}) end the read with an {@link ImapProtocolViolation}; the connection
 * is then unusable and is closed by its owner.
 */
final class ImapResponseReader extends ResponseInputStream {
    /** The longest line (between literals) accepted: far beyond any real server's. */
    static final int MAX_LINE = 1 << 20;
    /** The largest response accepted, literals included: header fields are a few kilobytes. */
    static final int MAX_RESPONSE = 64 << 20;
    /**
     * The deepest nesting of parentheses accepted: far beyond any real answer (a BODYSTRUCTURE
     * gains one level per multipart and two per attached message), shallow enough for Angus's
     * recursive parsers.
     */
    static final int MAX_NESTING = 128;

    private final InputStream in;
    private final int maxLine;
    private final int maxResponse;
    private final ResponseStructure structure;
    private final byte[] buffer = new byte[32 * 1024];
    private int position;
    private int limit;

    /** Reads from {@code in}, the connection's socket stream, which nothing else may read. */
    ImapResponseReader(InputStream in) {
        this(in, MAX_LINE, MAX_RESPONSE, MAX_NESTING);
    }

    /** With other limits, for tests that go past them without megabytes of input. */
    ImapResponseReader(InputStream in, int maxLine, int maxResponse, int maxNesting) {
        super(InputStream.nullInputStream());
        this.in = in;
        this.maxLine = maxLine;
        this.maxResponse = maxResponse;
        this.structure = new ResponseStructure(maxNesting);
    }

    @Override
    public ByteArray readResponse() throws IOException {
        return readResponse(null);
    }

    @Override
    public ByteArray readResponse(ByteArray into) throws IOException {
        ByteArray ba = into != null ? into : new ByteArray(new byte[128], 0, 128);
        int count = 0;
        structure.begin();
        while (true) {
            int lineStart = count;
            count = readLine(ba, count, lineStart);
            long literal = literalSize(ba.getBytes(), lineStart, count);
            structure.line(ba.getBytes(), lineStart, count - 2, literal >= 0);
            if (literal < 0) {
                break;
            }
            if (literal > maxResponse - count) {
                throw new ImapProtocolViolation("the server announced a literal of " + literal + " bytes,"
                        + " over the limit of " + maxResponse + " for one response");
            }
            count = readLiteral(ba, count, (int) literal);
        }
        structure.end();
        // Angus's parsers look for ')' and '}' without stopping at the end of the response. Where
        // the structure check cannot see it coming (a parser that lost its place inside a quoted
        // string), these two bytes just past the response, in the slack room() keeps, stop them
        // inside the array: they then read a little garbage and fail as parsers, not with an index
        // past the end.
        byte[] bytes = ba.getBytes();
        bytes[count] = ')';
        bytes[count + 1] = '}';
        ba.setCount(count);
        return ba;
    }

    /** Copies bytes up to and including the next CRLF; returns the new count. */
    private int readLine(ByteArray ba, int count, int lineStart) throws IOException {
        while (true) {
            if (position == limit && !fill()) {
                throw new IOException("Connection dropped by server?");
            }
            int end = position;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            boolean lf = end < limit;
            int n = (lf ? end + 1 : end) - position;
            if (count - lineStart + n > maxLine) {
                throw new ImapProtocolViolation("the server sent a line of more than " + maxLine + " bytes");
            }
            if (n > maxResponse - count) {
                // many lines, each within the limit, joined by literals into one response
                throw new ImapProtocolViolation("the server sent a response of more than " + maxResponse
                        + " bytes");
            }
            byte[] bytes = room(ba, count, n);
            System.arraycopy(buffer, position, bytes, count, n);
            position += n;
            count += n;
            if (lf && count >= 2 && bytes[count - 2] == '\r') {
                return count;
            }
        }
    }

    /**
     * The size a line announces with {@code {n}} just before its CRLF, -1 when it announces none
     * (as for Angus: a line that does not end so is the end of the response).
     *
     * @throws ImapProtocolViolation when the braces hold something other than a size in range
     */
    private static long literalSize(byte[] bytes, int lineStart, int count) throws ImapProtocolViolation {
        int close = count - 3;
        if (close <= lineStart || bytes[close] != '}') {
            return -1;
        }
        int i = close - 1;
        boolean plus = i >= lineStart && bytes[i] == '+';
        if (plus) {
            i--;
        }
        int lastDigit = i;
        while (i >= lineStart && bytes[i] >= '0' && bytes[i] <= '9') {
            i--;
        }
        int digits = lastDigit - i;
        boolean minus = i >= lineStart && bytes[i] == '-';
        if (minus) {
            i--;
        }
        if (i < lineStart || bytes[i] != '{' || (digits == 0 && !plus && !minus)) {
            return -1; // text that happens to end in braces, not a literal
        }
        String announced = new String(bytes, i, close - i + 1, StandardCharsets.ISO_8859_1);
        if (digits == 0 || plus || minus || digits > 10) {
            throw new ImapProtocolViolation("the server announced a literal as " + announced
                    + ", which is not a size a server may send");
        }
        long size = 0;
        for (int d = lastDigit - digits + 1; d <= lastDigit; d++) {
            size = size * 10 + (bytes[d] - '0');
        }
        return size;
    }

    private int readLiteral(ByteArray ba, int count, int size) throws IOException {
        byte[] bytes = room(ba, count, size);
        int left = size;
        int buffered = Math.min(left, limit - position);
        System.arraycopy(buffer, position, bytes, count, buffered);
        position += buffered;
        count += buffered;
        left -= buffered;
        while (left > 0) {
            int n = in.read(bytes, count, left);
            if (n < 0) {
                throw new IOException("Connection dropped by server? (" + left + " bytes of a literal missing)");
            }
            count += n;
            left -= n;
        }
        return count;
    }

    /** The array, grown so that {@code n} more bytes (and a little slack) fit after {@code count}. */
    private byte[] room(ByteArray ba, int count, int n) {
        byte[] bytes = ba.getBytes();
        if (bytes.length - count < n + 16) {
            int wanted = count + n + 16;
            int grown = (int) Math.min(Math.max(wanted, (long) bytes.length * 2), maxResponse + 64L);
            ba.grow(grown - bytes.length);
            bytes = ba.getBytes();
        }
        return bytes;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    /** Bytes that can be read without blocking: what is buffered here, and what the socket holds. */
    @Override
    public int available() throws IOException {
        return (limit - position) + in.available();
    }

    /** Whether bytes are buffered here, not yet handed out. */
    boolean hasBuffered() {
        return position < limit;
    }
}
