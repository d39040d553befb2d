package dev.imapsync.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plaintext relay on loopback that writes down every command line a client sends (up to 2,000
 * characters each) and counts the bytes the server answers, so that a test can assert what a
 * sync asked for: which FETCH items, for which UIDs. Put it in front of a cleartext IMAP port
 * (GreenMail's {@code imapPort()}, Dovecot's 10143 before STARTTLS is not used) with an account
 * that allows cleartext. Literals the client sends (a LOGIN password as a literal) are recorded
 * like lines: use test passwords only. Closing it closes every relayed connection.
 *
 * <p>It also tells which commands cost a round trip ({@link #roundTripCommands()}): those the
 * client sent while none of its earlier commands on that connection was still unanswered, so
 * that it had waited for the server. A command written while another is in flight (pipelined,
 * RFC 9051 §5.5) costs none.
 */
public final class CommandRecorder implements AutoCloseable {
    private static final int MAX_LINE = 2000;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong serverBytes = new AtomicLong();
    /** Per command line: whether it was sent while nothing was in flight on its connection. */
    private final List<Boolean> idleStarts = Collections.synchronizedList(new ArrayList<>());

    private CommandRecorder(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "imap-sync-test-command-recorder");
        accept.setDaemon(true);
        accept.start();
    }

    /** A recorder relaying to {@code host:port}, a loopback address. */
    public static CommandRecorder relayTo(String host, int port) throws IOException {
        InetSocketAddress target = new InetSocketAddress(host, port);
        if (target.getAddress() == null || !target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("The recorder relays to loopback addresses only, not " + host);
        }
        return new CommandRecorder(target);
    }

    /** The port it listens on, on the loopback address. */
    public int port() {
        return server.getLocalPort();
    }

    /** The command lines sent so far, in order, without CRLF. */
    public List<String> commands() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /**
     * The names of the commands sent so far, in order, upper case: the word after the tag
     * ({@code EXAMINE}, {@code UID}, …), to count round trips.
     */
    public List<String> commandNames() {
        List<String> names = new ArrayList<>();
        for (String line : commands()) {
            String[] words = line.split(" ", 3);
            if (words.length >= 2) {
                names.add(words[1].toUpperCase(Locale.ROOT));
            }
        }
        return names;
    }

    /**
     * The names of the commands that cost a round trip, in order: those sent while every earlier
     * command of their connection had its tagged answer. Lines that are not commands (literal
     * data, IDLE's DONE) are left out.
     */
    public List<String> roundTripCommands() {
        List<String> waited = new ArrayList<>();
        synchronized (lines) {
            for (int i = 0; i < lines.size() && i < idleStarts.size(); i++) {
                if (idleStarts.get(i)) {
                    waited.add(lines.get(i).split(" ", 3)[1].toUpperCase(Locale.ROOT));
                }
            }
        }
        return waited;
    }

    /** Bytes the server sent so far. */
    public long serverBytes() {
        return serverBytes.get();
    }

    /** Forgets what was recorded so far. */
    public void clear() {
        synchronized (lines) {
            lines.clear();
            idleStarts.clear();
        }
        serverBytes.set(0);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(upstream);
                Set<String> inFlight = ConcurrentHashMap.newKeySet();
                pump(upstream.getInputStream(), client.getOutputStream(), false, inFlight);
                pump(client.getInputStream(), upstream.getOutputStream(), true, inFlight);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** @param inFlight the connection's tags sent and not answered yet */
    private void pump(InputStream in, OutputStream out, boolean fromClient, Set<String> inFlight) {
        Thread t = new Thread(() -> {
            StringBuilder line = new StringBuilder();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[16384];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (fromClient) {
                        for (int i = 0; i < n; i++) {
                            char c = (char) (buffer[i] & 0xff);
                            if (c == '\n') {
                                command(line.toString(), inFlight);
                                line.setLength(0);
                            } else if (c != '\r' && line.length() < MAX_LINE) {
                                line.append(c);
                            }
                        }
                    } else {
                        serverBytes.addAndGet(n);
                        for (int i = 0; i < n; i++) {
                            char c = (char) (buffer[i] & 0xff);
                            if (c == '\n') {
                                answered(answer, inFlight);
                                answer.setLength(0);
                            } else if (answer.length() < 64) {
                                answer.append(c);
                            }
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }, "imap-sync-test-command-recorder-pump");
        t.setDaemon(true);
        t.start();
    }

    /** A line from the client: a command when its second word is a command name. */
    private void command(String line, Set<String> inFlight) {
        String[] words = line.split(" ", 3);
        boolean isCommand = words.length >= 2 && !words[0].isEmpty() && !words[0].equals("*")
                && !words[0].equals("+") && words[1].matches("[A-Za-z]+");
        synchronized (lines) {
            lines.add(line);
            idleStarts.add(isCommand && inFlight.isEmpty());
        }
        if (isCommand) {
            inFlight.add(words[0]);
        }
    }

    /** A line from the server (its first 64 characters): a tagged answer ends its command. */
    private static void answered(CharSequence line, Set<String> inFlight) {
        int space = indexOf(line, ' ');
        if (space > 0 && !inFlight.isEmpty()) {
            String tag = line.subSequence(0, space).toString();
            String rest = line.subSequence(space + 1, line.length()).toString().toUpperCase(Locale.ROOT);
            if ((rest.startsWith("OK") || rest.startsWith("NO") || rest.startsWith("BAD")) && inFlight.contains(tag)) {
                inFlight.remove(tag);
            }
        }
    }

    private static int indexOf(CharSequence s, char c) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
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
}
