package dev.imapsync.benchmarks;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A minimal IMAP client over implicit TLS for the end-to-end harness: it fills the benchmark
 * folder (MULTIAPPEND with LITERAL+) and is the raw socket floor (one {@code UID FETCH 1:*},
 * bytes read and dropped). Reads through one 64 KB buffer; literals are skipped, never copied.
 */
final class EndToEndImap implements AutoCloseable {
    /** The header fields every way of reading is asked for (the floor's FETCH). */
    static final String FLOOR_FIELDS = "FROM TO CC BCC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES";

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[1024];
    private int lineLength;
    private int tags;
    private long bytesRead;

    /** The outcome of one tagged command. */
    record Result(String status, String text, List<String> untagged) {
        boolean ok() {
            return status.equals("OK");
        }
    }

    private EndToEndImap(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Connects over implicit TLS (certificate and host name checked) and logs in. */
    static EndToEndImap login(ProbeTarget target) throws IOException {
        SSLSocket socket = (SSLSocket) target.trustingSocketFactory().createSocket(target.host, target.tlsPort);
        try {
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            socket.setSoTimeout(300_000);
            socket.setTcpNoDelay(true);
            socket.startHandshake();
            EndToEndImap imap = new EndToEndImap(socket);
            imap.readLine(); // greeting
            Result login = imap.command("LOGIN " + quote(target.user) + " " + quote(target.password));
            if (!login.ok()) {
                throw new IOException("LOGIN as " + target.user + " failed: " + login.status() + " " + login.text());
            }
            return imap;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** An IMAP quoted string; the harness only uses ASCII names. */
    static String quote(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 126 || s.charAt(i) < 32) {
                throw new IllegalArgumentException("'" + s + "' is not printable ASCII: give an ASCII folder name");
            }
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Sends a command and reads to its tagged answer, keeping the untagged lines (literals skipped). */
    Result command(String command) throws IOException {
        return send(command.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Sends a command given as bytes (e.g. an APPEND with LITERAL+ literals) and reads its answer. */
    Result command(byte[] command) throws IOException {
        return send(command, true);
    }

    /**
     * The floor: sends the command and reads its answer, dropping every byte.
     *
     * @return how many untagged responses came (one per message for a FETCH)
     */
    long drop(String command) throws IOException {
        String tag = write(command.getBytes(StandardCharsets.UTF_8));
        long responses = 0;
        while (true) {
            readLine();
            if (lineLength > 1 && line[0] == '*' && line[1] == ' ' && isFetch()) {
                // only FETCH: on 100,000 messages Dovecot sent one more untagged line, which is not a message
                responses++;
            } else if (startsWith(tag)) {
                String answer = new String(line, 0, lineLength, StandardCharsets.US_ASCII);
                if (!answer.startsWith(tag + " OK")) {
                    throw new IOException("'" + command + "' failed: " + answer);
                }
                return responses;
            }
        }
    }

    /** Whether the line read is an untagged {@code * n FETCH} response. */
    private boolean isFetch() {
        int i = 2;
        while (i < lineLength && line[i] >= '0' && line[i] <= '9') {
            i++;
        }
        return i > 2 && i + 6 <= lineLength && line[i] == ' ' && (line[i + 1] | 0x20) == 'f'
                && (line[i + 2] | 0x20) == 'e' && (line[i + 3] | 0x20) == 't' && (line[i + 4] | 0x20) == 'c'
                && (line[i + 5] | 0x20) == 'h';
    }

    /** Bytes read from the server so far. */
    long bytesRead() {
        return bytesRead;
    }

    private Result send(byte[] command, boolean keep) throws IOException {
        String tag = write(command);
        List<String> untagged = new ArrayList<>();
        while (true) {
            readLine();
            String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
            if (startsWith(tag)) {
                String rest = text.substring(tag.length()).trim();
                int space = rest.indexOf(' ');
                return new Result(space < 0 ? rest : rest.substring(0, space), space < 0 ? "" : rest.substring(space + 1),
                        untagged);
            }
            if (keep && text.startsWith("* ")) {
                untagged.add(text);
            }
        }
    }

    private String write(byte[] command) throws IOException {
        String tag = "e" + (++tags);
        out.write(tag.getBytes(StandardCharsets.US_ASCII));
        out.write(' ');
        out.write(command);
        out.write('\r');
        out.write('\n');
        out.flush();
        return tag;
    }

    private boolean startsWith(String tag) {
        if (lineLength <= tag.length() || line[tag.length()] != ' ') {
            return false;
        }
        for (int i = 0; i < tag.length(); i++) {
            if (line[i] != tag.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads one response line into {@code line} (without CRLF). A literal announced at the end of
     * a line is skipped, and the line continues after it (only its start matters here).
     */
    private void readLine() throws IOException {
        lineLength = 0;
        while (true) {
            if (pos == limit) {
                fill();
            }
            byte b = buf[pos++];
            if (b == '\n') {
                int end = lineLength;
                if (end > 0 && line[end - 1] == '\r') {
                    end--;
                }
                long literal = literalLength(end);
                if (literal < 0) {
                    lineLength = end;
                    return;
                }
                skip(literal);
                continue; // the rest of the response follows the literal
            }
            if (lineLength == line.length) {
                line = java.util.Arrays.copyOf(line, line.length * 2);
            }
            line[lineLength++] = b;
        }
    }

    /** The length of a literal {@code {n}} ending the line, or -1. */
    private long literalLength(int end) {
        if (end < 3 || line[end - 1] != '}') {
            return -1;
        }
        long n = 0;
        long scale = 1;
        int i = end - 2;
        while (i >= 0 && line[i] >= '0' && line[i] <= '9') {
            n += (line[i] - '0') * scale;
            scale *= 10;
            i--;
        }
        return i >= 0 && i < end - 2 && line[i] == '{' ? n : -1;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == limit) {
                fill();
            }
            int take = (int) Math.min(n, limit - pos);
            pos += take;
            n -= take;
        }
    }

    private void fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            throw new EOFException("the IMAP server closed the connection");
        }
        pos = 0;
        limit = n;
        bytesRead += n;
    }

    @Override
    public void close() throws IOException {
        try {
            write("LOGOUT".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
            // closing anyway
        }
        socket.close();
    }
}
