package dev.imapsync.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A plaintext TCP relay on loopback that writes down the name of every command a client
 * sends (the word after the tag), so the harness can count the round trips of a sync. Used
 * only on a cleartext port, where the commands can be read.
 */
final class CommandCounter implements AutoCloseable {
    private final ServerSocket server;
    private final String host;
    private final int port;
    private final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.atomic.AtomicLong serverBytes = new java.util.concurrent.atomic.AtomicLong();

    private CommandCounter(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "imap-sync-bench-command-counter");
        accept.setDaemon(true);
        accept.start();
    }

    /** Relays connections to {@code host:port}. */
    static CommandCounter relayTo(String host, int port) throws IOException {
        return new CommandCounter(host, port);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The bytes the server sent so far. */
    long serverBytes() {
        return serverBytes.get();
    }

    /** The commands sent so far, in order, upper case. */
    List<String> commands() {
        synchronized (commands) {
            return List.copyOf(commands);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(host, port);
                sockets.add(client);
                sockets.add(upstream);
                pump(upstream.getInputStream(), client.getOutputStream(), false);
                pump(client.getInputStream(), upstream.getOutputStream(), true);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(InputStream in, OutputStream out, boolean fromClient) {
        Thread t = new Thread(() -> {
            StringBuilder line = new StringBuilder();
            byte[] buffer = new byte[16384];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (fromClient) {
                        for (int i = 0; i < n; i++) {
                            char c = (char) (buffer[i] & 0xff);
                            if (c == '\n') {
                                record(line.toString());
                                line.setLength(0);
                            } else if (c != '\r' && line.length() < 200) {
                                line.append(c);
                            }
                        }
                    }
                    if (!fromClient) {
                        serverBytes.addAndGet(n);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side closed
            } finally {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }, "imap-sync-bench-command-counter-pump");
        t.setDaemon(true);
        t.start();
    }

    private void record(String line) {
        String[] words = line.split(" ", 3);
        if (words.length >= 2) {
            commands.add(words[1].toUpperCase(Locale.ROOT));
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** The commands as one line, for messages. */
    static String describe(List<String> commands) {
        return commands.isEmpty() ? "(none)" : String.join(", ", commands);
    }
}
