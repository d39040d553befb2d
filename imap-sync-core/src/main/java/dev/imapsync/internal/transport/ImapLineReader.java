package dev.imapsync.internal.transport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads CRLF-terminated IMAP response lines with a hard limit on line length, and tells
 * whether bytes beyond the last line were already received. The STARTTLS check needs that:
 * anything a server sends after its "OK" to STARTTLS and before the TLS handshake is an
 * injection attempt and must never be read as data.
 */
final class ImapLineReader {
    private final InputStream in;
    private final int maxLineLength;
    private final byte[] buffer = new byte[8192];
    private int start;
    private int end;

    ImapLineReader(InputStream in, int maxLineLength) {
        this.in = in;
        this.maxLineLength = maxLineLength;
    }

    /**
     * The next line without its line end.
     *
     * @throws EOFException when the server closes the connection
     * @throws ProtocolViolation when the line exceeds the limit
     */
    String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (start == end) {
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    throw new EOFException("the server closed the connection"
                            + (line.length() > 0 ? " in the middle of a line" : ""));
                }
                start = 0;
                end = n;
            }
            while (start < end) {
                byte b = buffer[start++];
                if (b == '\n') {
                    int len = line.length();
                    if (len > 0 && line.charAt(len - 1) == '\r') {
                        line.setLength(len - 1);
                    }
                    return line.toString();
                }
                if (line.length() >= maxLineLength) {
                    throw new ProtocolViolation("the server sent a line longer than " + maxLineLength + " bytes");
                }
                line.append((char) (b & 0xff));
            }
        }
    }

    /** Whether bytes past the last line returned are already buffered. */
    boolean hasBufferedBytes() {
        return start < end;
    }

    /** Decodes a line read as Latin-1 bytes as UTF-8, for showing server text to a person. */
    static String printable(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
        String s = new String(bytes, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && out.length() < 200; i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }

    /** The server broke the protocol. */
    static final class ProtocolViolation extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolViolation(String message) {
            super(message);
        }
    }
}
