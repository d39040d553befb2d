package dev.imapsync.internal.content;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A minimal IMAP client over implicit TLS that hands back responses byte for byte, literals
 * included as the server sent them: what the preview path's parser will see. Only for tests.
 */
final class RawImap implements AutoCloseable {
    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tag;

    private RawImap(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawImap login(String host, int port, SSLContext tls, String user, String password) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        RawImap imap = new RawImap(socket);
        imap.response(); // greeting
        imap.command("LOGIN " + quote(user) + " " + quote(password));
        return imap;
    }

    /** Runs a command; returns its untagged responses (each with its literals); fails unless OK. */
    List<byte[]> command(String command) throws IOException {
        String t = "T" + (++tag);
        out.write((t + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return untilTagged(t);
    }

    /** Appends a message with a synchronizing literal. */
    void append(String folder, byte[] message) throws IOException {
        String t = "T" + (++tag);
        out.write((t + " APPEND " + quote(folder) + " {" + message.length + "}\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        byte[] go = response();
        if (go.length == 0 || go[0] != '+') {
            throw new IOException("APPEND refused: " + new String(go, StandardCharsets.UTF_8));
        }
        out.write(message);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        untilTagged(t);
    }

    private List<byte[]> untilTagged(String t) throws IOException {
        List<byte[]> untagged = new ArrayList<>();
        while (true) {
            byte[] r = response();
            String start = new String(r, 0, Math.min(r.length, 200), StandardCharsets.ISO_8859_1);
            if (start.startsWith(t + " ")) {
                if (!start.startsWith(t + " OK")) {
                    throw new IOException("command failed: " + start);
                }
                return untagged;
            }
            untagged.add(r);
        }
    }

    /** One response: a line, and the literals and line pieces that follow a line ending in {n}. */
    private byte[] response() throws IOException {
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            int previous = -1;
            while ((c = in.read()) >= 0) {
                line.write(c);
                if (c == '\n' && previous == '\r') {
                    break;
                }
                previous = c;
            }
            if (c < 0) {
                throw new IOException("connection closed by the server");
            }
            byte[] bytes = line.toByteArray();
            r.write(bytes);
            int size = literalSize(bytes);
            if (size < 0) {
                return r.toByteArray();
            }
            r.write(in.readNBytes(size));
        }
    }

    private static int literalSize(byte[] line) {
        int end = line.length - 2; // before CRLF
        if (end < 2 || line[end - 1] != '}') {
            return -1;
        }
        int open = end - 2;
        while (open >= 0 && line[open] >= '0' && line[open] <= '9') {
            open--;
        }
        if (open < 0 || line[open] != '{' || open == end - 2) {
            return -1;
        }
        return Integer.parseInt(new String(line, open + 1, end - 1 - open - 1, StandardCharsets.US_ASCII));
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() throws IOException {
        try {
            command("LOGOUT");
        } catch (IOException ignored) {
            // closing anyway
        } finally {
            socket.close();
        }
    }
}
