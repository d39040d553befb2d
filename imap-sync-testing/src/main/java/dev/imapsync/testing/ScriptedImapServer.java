package dev.imapsync.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;

/**
 * A byte-exact scripted IMAP server on the loopback interface, for tests of hostile or broken
 * servers: each accepted connection plays a {@link Script} step by step, and everything the
 * client sends is recorded.
 *
 * <pre>{@code
 * try (ScriptedImapServer server = ScriptedImapServer.start(new Script()
 *         .send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready")
 *         .expect("\\S+ STARTTLS")
 *         .sendRawThenStartTls("{tag} OK Begin TLS\r\n* OK injected\r\n", certificate)
 *         .answerCommands(Map.of("\\S+ LOGIN .*", List.of("{tag} NO [AUTHENTICATIONFAILED] no"))))) {
 *     ... point the client at server.host() and server.port() ...
 *     server.close();                      // makes the recordings final
 *     assertThat(server.linesBeforeTls()).noneMatch(line -> line.contains("secret"));
 * }
 * }</pre>
 *
 * <p>Threads: one daemon thread {@value #ACCEPTOR_THREAD} accepts, one daemon thread per
 * connection plays its script. The recordings and {@link #failures()} are thread-safe
 * snapshots; assert on them after {@link #close()}, which first lets every connection read what
 * its client had already sent. Any exception on a server thread (a script mismatch, a failed
 * handshake, a reset) is kept in {@link #failures()}, except those caused by {@link #close()}
 * itself. A script still waiting for the client when the server is closed is not a failure.
 */
public final class ScriptedImapServer implements AutoCloseable {

    /** The name of the thread that accepts connections. */
    public static final String ACCEPTOR_THREAD = "imap-sync-test-scripted-server";

    /**
     * How often an idle connection wakes up to see whether {@link #close()} was called: a read
     * that times out with nothing received is the only way to know that everything the client
     * had sent before close() was read and recorded.
     */
    private static final Duration IDLE_POLL = Duration.ofMillis(50);
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(1);
    private static final Duration ABORT_WAIT = Duration.ofSeconds(5);
    private static final int MAX_LINE_BYTES = 1 << 20;
    private static final Pattern COMMAND_TAG = Pattern.compile("^(\\S+) \\S");
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d{1,7})(\\+?)}$");
    private static final Pattern LOGOUT = Pattern.compile("\\S+ LOGOUT", Pattern.CASE_INSENSITIVE);

    private final ServerSocket listener;
    private final IntFunction<Script> scripts;
    private final TestCertificate implicitTls;
    private final Thread acceptor;
    private final List<Connection> connections = new ArrayList<>();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final List<ReceivedLine> receivedLines = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private volatile boolean closing;
    private volatile boolean aborted;

    /** One line (or command with its literals) the client sent. */
    public record ReceivedLine(int connection, String text, boolean tls) {
        @Override
        public String toString() {
            return "#" + connection + (tls ? " tls " : " plain ") + text;
        }
    }

    private ScriptedImapServer(IntFunction<Script> scripts, TestCertificate implicitTls) {
        this.scripts = scripts;
        this.implicitTls = implicitTls;
        try {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
        acceptor = new Thread(this::acceptLoop, ACCEPTOR_THREAD);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a server that plays {@code script} on every connection. */
    public static ScriptedImapServer start(Script script) {
        return start(index -> script);
    }

    /** Starts a server that plays {@code scripts.apply(i)} on the i-th connection, from 0. */
    public static ScriptedImapServer start(IntFunction<Script> scripts) {
        return new ScriptedImapServer(scripts, null);
    }

    /**
     * Starts a server that speaks TLS from the first byte (like port 993) with
     * {@code certificate}, then plays {@code script} on every connection.
     */
    public static ScriptedImapServer startImplicitTls(TestCertificate certificate, Script script) {
        return startImplicitTls(certificate, index -> script);
    }

    /** As {@link #startImplicitTls(TestCertificate, Script)}, with a script per connection. */
    public static ScriptedImapServer startImplicitTls(
            TestCertificate certificate, IntFunction<Script> scripts) {
        return new ScriptedImapServer(scripts, certificate);
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** How many connections were accepted so far. */
    public int connectionCount() {
        return connectionCount.get();
    }

    /** Everything the clients sent, across connections, in the order it was read. */
    public List<ReceivedLine> receivedLines() {
        return List.copyOf(receivedLines);
    }

    /** What the clients sent in cleartext: credentials must never be among these. */
    public List<String> linesBeforeTls() {
        return receivedLines.stream().filter(line -> !line.tls()).map(ReceivedLine::text).toList();
    }

    /** How many received lines, over all connections, match {@code regex} as a whole. */
    public int commandsMatching(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return (int) receivedLines.stream()
                .filter(line -> pattern.matcher(line.text()).matches())
                .count();
    }

    /** What went wrong on the server's threads, in order. */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    /** Throws an {@link AssertionError} carrying every failure as suppressed, if any. */
    public void assertNoFailures() {
        List<Throwable> found = failures();
        if (!found.isEmpty()) {
            AssertionError error = new AssertionError(
                    "the scripted server recorded " + found.size() + " failure(s); first: " + found.get(0));
            found.forEach(error::addSuppressed);
            throw error;
        }
    }

    /**
     * Stops the server: closes the listener, lets every connection read and record what its
     * client had already sent (up to one second), then closes all connections and waits up to
     * five seconds for the server's threads to end. Safe to call twice.
     */
    @Override
    public void close() {
        List<Connection> open;
        synchronized (connections) {
            if (closing) {
                return;
            }
            closing = true;
            open = List.copyOf(connections);
        }
        closeOrRecord(listener);
        long drainDeadline = System.nanoTime() + DRAIN_WAIT.toNanos();
        for (Connection connection : open) {
            joinUntil(connection.thread, drainDeadline);
        }
        aborted = true;
        open.forEach(Connection::abort);
        long abortDeadline = System.nanoTime() + ABORT_WAIT.toNanos();
        joinUntil(acceptor, abortDeadline);
        for (Connection connection : open) {
            joinUntil(connection.thread, abortDeadline);
        }
        for (Thread thread : threadsOf(open)) {
            if (thread.isAlive()) {
                failures.add(new IllegalStateException(thread.getName() + " did not stop within " + ABORT_WAIT));
            }
        }
    }

    private List<Thread> threadsOf(List<Connection> open) {
        List<Thread> threads = new ArrayList<>(List.of(acceptor));
        open.forEach(connection -> threads.add(connection.thread));
        return threads;
    }

    private void joinUntil(Thread thread, long deadlineNanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (millis <= 0) {
            return;
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(e);
        }
    }

    private void acceptLoop() {
        while (!closing) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closing) {
                    failures.add(e);
                }
                return;
            }
            int index = connectionCount.getAndIncrement();
            Connection connection = new Connection(index, socket);
            synchronized (connections) {
                if (closing) {
                    closeOrRecord(socket);
                    return;
                }
                connections.add(connection);
                connection.thread.start();
            }
        }
    }

    private void serve(Connection connection) {
        try {
            connection.tcp.setTcpNoDelay(true);
            connection.tcp.setSoTimeout((int) IDLE_POLL.toMillis());
            List<Step> steps = List.copyOf(scripts.apply(connection.index).steps);
            if (implicitTls != null) {
                connection.startTls(implicitTls);
            }
            for (Step step : steps) {
                if (connection.hungUp) {
                    break;
                }
                step.run(connection);
            }
            connection.flush();
        } catch (IOException | RuntimeException | AssertionError e) {
            if (!(e instanceof ServerClosed)) {
                recordUnlessAborted(e);
            }
        } finally {
            closeOrRecord(connection.socket);
        }
    }

    /** Records a failure, unless it is the server's own doing: {@link #close()} cut the connection. */
    private void recordUnlessAborted(Throwable failure) {
        if (!aborted) {
            failures.add(failure);
        }
    }

    private void closeOrRecord(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            recordUnlessAborted(e);
        }
    }

    /** One accepted connection: its socket, its read buffer, its queued output and its tag. */
    private final class Connection {
        final int index;
        final Thread thread;
        final Socket tcp;
        Socket socket;
        private InputStream in;
        private OutputStream out;
        private final byte[] buffer = new byte[8192];
        private int position;
        private int limit;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean tls;
        private String tag;
        private String previousTag;
        boolean hungUp;

        Connection(int index, Socket socket) {
            this.index = index;
            this.tcp = socket;
            this.socket = socket;
            this.thread = new Thread(() -> serve(this), ACCEPTOR_THREAD + "-" + index);
            this.thread.setDaemon(true);
        }

        /** Queues bytes; they are written in one write before the next read, TLS or close. */
        void queue(byte[] bytes) {
            pending.writeBytes(bytes);
        }

        void queueLine(String line) {
            queue((withTag(line) + "\r\n").getBytes(UTF_8));
        }

        String withTag(String text) {
            if (text.contains("{previous-tag}")) {
                if (previousTag == null) {
                    throw new IllegalStateException("connection #" + index
                            + ": the script sends {previous-tag} before the client sent two commands: " + text);
                }
                text = text.replace("{previous-tag}", previousTag);
            }
            if (!text.contains("{tag}")) {
                return text;
            }
            if (tag == null) {
                throw new IllegalStateException(
                        "connection #" + index + ": the script sends {tag} before the client sent a command: " + text);
            }
            return text.replace("{tag}", tag);
        }

        void flush() throws IOException {
            if (pending.size() > 0) {
                ensureStreams();
                out.write(pending.toByteArray());
                out.flush();
                pending.reset();
            }
        }

        /** Upgrades the server side to TLS; from here on only the TLS stream is read. */
        void startTls(TestCertificate certificate) throws IOException {
            flush();
            byte[] alreadyRead = Arrays.copyOfRange(buffer, position, limit);
            position = 0;
            limit = 0;
            SSLSocket secure = (SSLSocket) certificate.serverSslContext().getSocketFactory()
                    .createSocket(socket, new ByteArrayInputStream(alreadyRead), true);
            secure.setEnabledProtocols(TestCertificate.TLS_PROTOCOLS);
            socket = secure;
            in = null;
            out = null;
            tls = true;
            // a read timeout would break the handshake; close() aborts a stalled one instead
            tcp.setSoTimeout(0);
            secure.startHandshake();
            tcp.setSoTimeout((int) IDLE_POLL.toMillis());
        }

        /** One line without its CRLF, or null at the end of the stream; records nothing. */
        String readLine() throws IOException {
            flush();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = read(); b != '\n'; b = read()) {
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(UTF_8);
                }
                if (line.size() == MAX_LINE_BYTES) {
                    throw new IOException("connection #" + index + ": client line longer than " + MAX_LINE_BYTES + " bytes");
                }
                line.write(b);
            }
            String text = line.toString(UTF_8);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        /**
         * One client command, with any literals inline ("+ " continuations are sent for
         * synchronizing ones); recorded, and its first token becomes {tag} if it has one.
         */
        String readCommand() throws IOException {
            String line = readLine();
            if (line == null) {
                return null;
            }
            StringBuilder command = new StringBuilder(line);
            Matcher literal = LITERAL.matcher(line);
            while (literal.find()) {
                if (literal.group(2).isEmpty()) {
                    queueLine("+ Ready for literal data");
                }
                byte[] data = readExactly(Integer.parseInt(literal.group(1)));
                command.append("\r\n").append(new String(data, UTF_8));
                line = readLine();
                if (line == null) {
                    break;
                }
                command.append(line);
                literal = LITERAL.matcher(line);
            }
            String text = command.toString();
            record(text);
            Matcher tagged = COMMAND_TAG.matcher(text);
            if (tagged.find()) {
                previousTag = tag;
                tag = tagged.group(1);
            }
            return text;
        }

        void record(String text) {
            receivedLines.add(new ReceivedLine(index, text, tls));
        }

        private byte[] readExactly(int count) throws IOException {
            flush();
            byte[] bytes = new byte[count];
            for (int i = 0; i < count; i++) {
                int b = read();
                if (b < 0) {
                    throw new IOException("connection #" + index + ": stream ended inside a literal of " + count + " bytes");
                }
                bytes[i] = (byte) b;
            }
            return bytes;
        }

        private int read() throws IOException {
            if (position == limit) {
                int count = readSome();
                if (count < 0) {
                    return -1;
                }
                position = 0;
                limit = count;
            }
            return buffer[position++] & 0xff;
        }

        /** Blocks until the client sends something or closes; gives up once close() was called. */
        private int readSome() throws IOException {
            ensureStreams();
            while (true) {
                try {
                    return in.read(buffer);
                } catch (SocketTimeoutException idle) {
                    if (closing) {
                        throw new ServerClosed();
                    }
                }
            }
        }

        private void ensureStreams() throws IOException {
            if (in == null) {
                in = socket.getInputStream();
                out = socket.getOutputStream();
            }
        }

        /** Closes gracefully (TLS close_notify, then FIN), or with a TCP reset. */
        void hangUp(boolean reset) throws IOException {
            flush();
            hungUp = true;
            if (reset) {
                tcp.setSoLinger(true, 0);
                tcp.close();
            } else {
                socket.close();
            }
        }

        boolean serverClosing() {
            return closing;
        }

        /** From another thread: closes the TCP socket, which ends any blocked read or write. */
        void abort() {
            closeOrRecord(tcp);
        }
    }

    /** Ends a script that was waiting for its client when {@link #close()} was called. */
    private static final class ServerClosed extends IOException {
        ServerClosed() {
            super("the server was closed", null);
        }
    }

    /** One step of a script, run on the connection's thread. */
    @FunctionalInterface
    private interface Step {
        void run(Connection connection) throws IOException;
    }

    /**
     * What the server does on one connection, built fluently; steps run in order, and the
     * connection is closed after the last one. {@code {tag}} in a line the server sends stands
     * for the tag of the client's last command, {@code {previous-tag}} for the one before it (to
     * answer pipelined commands in order). A script may be shared by several connections.
     */
    public static final class Script {
        private final List<Step> steps = new ArrayList<>();

        /** Queues {@code line} followed by CRLF. */
        public Script send(String line) {
            return add(connection -> connection.queueLine(line));
        }

        /** Queues {@code text} as UTF-8, no CRLF added; {@code {tag}} is replaced. */
        public Script sendRaw(String text) {
            return add(connection -> connection.queue(connection.withTag(text).getBytes(UTF_8)));
        }

        /** Queues exactly these bytes. */
        public Script sendRaw(byte[] bytes) {
            byte[] copy = bytes.clone();
            return add(connection -> connection.queue(copy));
        }

        /**
         * Reads one client command, which must match {@code regex} as a whole (case-sensitive;
         * use {@code (?i)} if needed); otherwise, or if the client closes instead, the mismatch
         * is recorded in {@link ScriptedImapServer#failures()} and the connection closed.
         */
        public Script expect(String regex) {
            Pattern pattern = Pattern.compile(regex);
            return add(connection -> {
                String line = connection.readCommand();
                if (line == null) {
                    throw new AssertionError("connection #" + connection.index
                            + ": the client closed the connection while the script expected /" + regex + "/");
                }
                if (!pattern.matcher(line).matches()) {
                    throw new AssertionError("connection #" + connection.index
                            + ": the script expected /" + regex + "/ but the client sent: " + line);
                }
            });
        }

        /** {@link #expect(String)}, then {@link #send(String)} each of {@code lines}. */
        public Script expectAndReply(String regex, String... lines) {
            expect(regex);
            for (String line : lines) {
                send(line);
            }
            return this;
        }

        /**
         * Writes whatever is queued, then upgrades the server side to TLS with
         * {@code certificate} and completes the handshake.
         */
        public Script startTls(TestCertificate certificate) {
            return add(connection -> connection.startTls(certificate));
        }

        /**
         * Writes whatever is queued plus {@code text} (UTF-8, {@code {tag}} replaced, no CRLF
         * added) in a single write and flush, then starts the TLS handshake: how a man in the
         * middle would inject responses into the same TCP segment as "OK Begin TLS".
         */
        public Script sendRawThenStartTls(String text, TestCertificate certificate) {
            sendRaw(text);
            return startTls(certificate);
        }

        /** As {@link #sendRawThenStartTls(String, TestCertificate)}, with exact bytes. */
        public Script sendRawThenStartTls(byte[] bytes, TestCertificate certificate) {
            sendRaw(bytes);
            return startTls(certificate);
        }

        /**
         * Answers every client command until LOGOUT or the end of the stream: the first entry
         * whose regex matches the whole command (iteration order, so pass a
         * {@link LinkedHashMap} if patterns overlap) has its lines sent; a line {@code "+"} or
         * {@code "+ ..."} among them is a continuation request, after which one client line is
         * read (and recorded) before the rest are sent. LOGOUT without an entry is answered
         * with BYE and OK; any other command without an entry with {@code {tag} BAD}.
         */
        public Script answerCommands(Map<String, List<String>> answers) {
            return answerCommandsUntil("(?i)\\S+ LOGOUT", answers);
        }

        /**
         * As {@link #answerCommands(Map)}, but the script goes on to its next step after
         * answering a command that matches {@code lastCommandRegex} (e.g. STARTTLS), as well
         * as after LOGOUT.
         */
        public Script answerCommandsUntil(String lastCommandRegex, Map<String, List<String>> answers) {
            Pattern last = Pattern.compile(lastCommandRegex);
            Map<Pattern, List<String>> rules = new LinkedHashMap<>();
            answers.forEach((regex, lines) -> rules.put(Pattern.compile(regex), List.copyOf(lines)));
            return add(connection -> {
                for (String command = connection.readCommand(); command != null; command = connection.readCommand()) {
                    for (String line : replyTo(rules, command)) {
                        connection.queueLine(line);
                        boolean continuation = line.equals("+") || line.startsWith("+ ");
                        if (continuation && connection.readCommand() == null) {
                            return;
                        }
                    }
                    if (last.matcher(command).matches() || LOGOUT.matcher(command).matches()) {
                        return;
                    }
                }
            });
        }

        private static List<String> replyTo(Map<Pattern, List<String>> rules, String command) {
            for (Map.Entry<Pattern, List<String>> rule : rules.entrySet()) {
                if (rule.getKey().matcher(command).matches()) {
                    return rule.getValue();
                }
            }
            if (LOGOUT.matcher(command).matches()) {
                return List.of("* BYE Logging out", "{tag} OK LOGOUT completed");
            }
            return List.of("{tag} BAD Command not scripted");
        }

        /**
         * Writes whatever is queued, then never speaks again: lines the client sends are
         * recorded until it closes the connection or the server is closed.
         */
        public Script silence() {
            return add(connection -> {
                for (String line = connection.readLine(); line != null; line = connection.readLine()) {
                    connection.record(line);
                }
            });
        }

        /**
         * Writes whatever is queued, then {@code text} ({@code {tag}} replaced) one byte at a time
         * with {@code pause} before each: a slow or hostile server (slowloris). Stops quietly,
         * and ends the connection, when the client closes it or the server is closed.
         */
        public Script trickle(String text, Duration pause) {
            return add(connection -> {
                connection.flush();
                byte[] bytes = connection.withTag(text).getBytes(UTF_8);
                try {
                    for (byte b : bytes) {
                        if (connection.serverClosing()) {
                            break;
                        }
                        Thread.sleep(pause.toMillis());
                        connection.queue(new byte[] {b});
                        connection.flush();
                    }
                } catch (IOException gone) {
                    // the client gave up on us: that is what a trickle is for
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                connection.hungUp = true;
            });
        }

        /**
         * Writes whatever is queued, then {@code chunk} {@code times} times (a line that never
         * ends, a literal larger than announced …). Stops quietly, and ends the connection, when
         * the client closes it.
         */
        public Script flood(byte[] chunk, long times) {
            byte[] copy = chunk.clone();
            return add(connection -> {
                connection.flush();
                try {
                    for (long i = 0; i < times; i++) {
                        connection.queue(copy);
                        connection.flush();
                    }
                } catch (IOException gone) {
                    // the client cut the flood off, as it should
                }
                connection.hungUp = true;
            });
        }

        /** Writes whatever is queued and closes the connection (FIN); later steps are skipped. */
        public Script hangUp() {
            return add(connection -> connection.hangUp(false));
        }

        /** Writes whatever is queued and resets the connection (RST); later steps are skipped. */
        public Script reset() {
            return add(connection -> connection.hangUp(true));
        }

        private Script add(Step step) {
            steps.add(step);
            return this;
        }
    }
}
