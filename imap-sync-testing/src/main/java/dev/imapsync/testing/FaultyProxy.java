package dev.imapsync.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 that forwards every connection to one target and injects one
 * network fault at a time, for tests of what a client does when the network breaks: the
 * connection cut (FIN or RST) after byte N of one direction, frozen after byte N (nothing more
 * forwarded either way, nothing closed), or throttled. Bytes are counted from the last
 * {@link #arm} across all connections, so an offset is a position in everything a client and
 * server exchanged since then; TLS passes through untouched (the proxy never sees clear text).
 *
 * <pre>{@code
 * try (FaultyProxy proxy = FaultyProxy.to(dovecotHost, dovecotTlsPort)) {
 *     proxy.arm(Fault.none());
 *     ... a clean run against 127.0.0.1:proxy.port() ...
 *     long total = proxy.bytes(Direction.SERVER_TO_CLIENT);
 *     proxy.arm(Fault.cut(Direction.SERVER_TO_CLIENT, total / 2, true));
 *     ... the same run, now cut half-way ...
 *     assertThat(proxy.faultsInjected()).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>A cut fires once per {@link #arm}; connections opened after it pass cleanly. A freeze
 * holds every connection, old and new, until the next {@link #arm} or {@link #close()}, which
 * close them. Threads: one daemon acceptor, two daemon pumps per connection. Thread-safe.
 */
public final class FaultyProxy implements AutoCloseable {
    private static final int BUFFER = 16 * 1024;
    /** How long a cut connection waits for its ends to close before it closes them. */
    private static final Duration LINGER = Duration.ofSeconds(10);

    /** Which way bytes flow. */
    public enum Direction {
        /** What the client sends: commands. */
        CLIENT_TO_SERVER,
        /** What the server sends: greeting, responses, literals. */
        SERVER_TO_CLIENT
    }

    /** A fault to inject; see the factory methods. */
    public sealed interface Fault {
        /** No fault: everything is forwarded as it comes. */
        static Fault none() {
            return None.INSTANCE;
        }

        /**
         * Forwards exactly {@code offset} bytes of {@code direction}, then closes both sides of the
         * connection: with a TCP reset if {@code reset}, else with an orderly close (FIN).
         */
        static Fault cut(Direction direction, long offset, boolean reset) {
            return new Cut(direction, offset, reset);
        }

        /**
         * Forwards exactly {@code offset} bytes of {@code direction}, then stops forwarding in both
         * directions without closing anything, as a network that silently drops packets does.
         */
        static Fault freeze(Direction direction, long offset) {
            return new Freeze(direction, offset);
        }

        /** Forwards both directions in pieces of at most {@code chunkBytes}, waiting {@code pause} after each. */
        static Fault throttle(int chunkBytes, Duration pause) {
            return new Throttle(chunkBytes, pause);
        }
    }

    /** See {@link Fault#none()}. */
    public enum None implements Fault {
        /** The only instance. */
        INSTANCE
    }

    /** See {@link Fault#cut}. */
    public record Cut(Direction direction, long offset, boolean reset) implements Fault {
        /** Checks the arguments. */
        public Cut {
            Objects.requireNonNull(direction, "direction");
            if (offset < 0) {
                throw new IllegalArgumentException("offset " + offset + " is negative");
            }
        }
    }

    /** See {@link Fault#freeze}. */
    public record Freeze(Direction direction, long offset) implements Fault {
        /** Checks the arguments. */
        public Freeze {
            Objects.requireNonNull(direction, "direction");
            if (offset < 0) {
                throw new IllegalArgumentException("offset " + offset + " is negative");
            }
        }
    }

    /** See {@link Fault#throttle}. */
    public record Throttle(int chunkBytes, Duration pause) implements Fault {
        /** Checks the arguments. */
        public Throttle {
            if (chunkBytes < 1) {
                throw new IllegalArgumentException("chunkBytes " + chunkBytes + " is not positive");
            }
            Objects.requireNonNull(pause, "pause");
        }
    }

    private final LoopbackForwarder forwarder;
    private final Map<Direction, Long> bytes = new EnumMap<>(Direction.class);
    private final AtomicInteger faultsInjected = new AtomicInteger();
    // guarded by this
    private Fault fault = Fault.none();
    private boolean fired;
    private CountDownLatch thaw = new CountDownLatch(1);

    private FaultyProxy(String host, int port) throws IOException {
        resetCounts();
        this.forwarder = LoopbackForwarder.start("imap-sync-test-faulty-proxy", host, port, c -> {
            Link link = new Link(c);
            return new LoopbackForwarder.Pumps(() -> link.run(c.client(), c.server(), Direction.CLIENT_TO_SERVER),
                    () -> link.run(c.server(), c.client(), Direction.SERVER_TO_CLIENT));
        });
    }

    /** A proxy forwarding to {@code host:port} (a loopback address: tests never send traffic elsewhere). */
    public static FaultyProxy to(String host, int port) throws IOException {
        return new FaultyProxy(host, port);
    }

    /** The port the proxy listens on, on 127.0.0.1. */
    public int port() {
        return forwarder.port();
    }

    /** The address the proxy listens on. */
    public String host() {
        return forwarder.host();
    }

    /**
     * Injects {@code next} from now on: closes the connections a previous freeze held, and
     * counts bytes from zero again.
     */
    public void arm(Fault next) {
        Objects.requireNonNull(next, "next");
        CountDownLatch released;
        synchronized (this) {
            fault = next;
            fired = false;
            released = thaw;
            thaw = new CountDownLatch(1);
            resetCounts();
        }
        released.countDown();
    }

    private synchronized void resetCounts() {
        bytes.put(Direction.CLIENT_TO_SERVER, 0L);
        bytes.put(Direction.SERVER_TO_CLIENT, 0L);
    }

    /** Bytes of {@code direction} forwarded since the last {@link #arm}. */
    public synchronized long bytes(Direction direction) {
        return bytes.get(direction);
    }

    /** How many cuts and freezes fired since the proxy started (a throttle is not counted). */
    public int faultsInjected() {
        return faultsInjected.get();
    }

    /**
     * Waits until every connection through the proxy has ended. Byte offsets count from the last
     * {@link #arm}, over all connections: call this before arming a fault for the next
     * connection, or the end of the previous one (its LOGOUT, TLS close) may be what the fault hits.
     *
     * @throws AssertionError if connections are still open after {@code timeout}
     */
    public void awaitNoConnections(Duration timeout) {
        Await.until("every connection through the proxy ended", timeout, () -> forwarder.openConnections() == 0);
    }

    /** How many connections the proxy accepted since it started. */
    public int connections() {
        return forwarder.connections();
    }

    /** Stops accepting and closes every connection. Safe twice. */
    @Override
    public void close() {
        arm(Fault.none()); // lets frozen connections go, to be closed
        forwarder.close();
    }

    /** What a pump does with the bytes it holds: how many to forward, then what. */
    private record Step(int forward, Action then, Duration pause, CountDownLatch thaw) {
    }

    private enum Action { CONTINUE, PAUSE, CUT, RESET, FREEZE }

    /** Decides, atomically with the byte count, what happens to {@code available} bytes of {@code direction}. */
    private synchronized Step next(Direction direction, int available) {
        long count = bytes.get(direction);
        if (fault instanceof Freeze && fired) {
            return new Step(0, Action.FREEZE, Duration.ZERO, thaw);
        }
        int forward = available;
        Action then = Action.CONTINUE;
        Duration pause = Duration.ZERO;
        if (!fired && fault instanceof Cut cut && cut.direction() == direction && cut.offset() - count <= available) {
            forward = (int) Math.max(0, cut.offset() - count);
            then = cut.reset() ? Action.RESET : Action.CUT;
        } else if (!fired && fault instanceof Freeze freeze && freeze.direction() == direction
                && freeze.offset() - count <= available) {
            forward = (int) Math.max(0, freeze.offset() - count);
            then = Action.FREEZE;
        } else if (fault instanceof Throttle throttle) {
            forward = Math.min(available, throttle.chunkBytes());
            then = Action.PAUSE;
            pause = throttle.pause();
        }
        if (then == Action.CUT || then == Action.RESET || then == Action.FREEZE) {
            fired = true;
            faultsInjected.incrementAndGet();
        }
        bytes.put(direction, count + forward);
        return new Step(forward, then, pause, thaw);
    }

    /** The fault state of one proxied connection, shared by its two pumps. */
    private final class Link {
        private final LoopbackForwarder.Connection connection;
        private volatile boolean cut;

        Link(LoopbackForwarder.Connection connection) {
            this.connection = connection;
        }

        /** Forwards {@code from} to {@code to} with the armed fault; returns at the end of the stream. */
        void run(Socket from, Socket to, Direction direction) throws IOException, InterruptedException {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[BUFFER];
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    return; // the forwarder passes the end of the stream on
                }
                int offset = 0;
                while (offset < n && !cut) {
                    Step step = next(direction, n - offset);
                    if (step.then() == Action.CUT) {
                        cut = true; // before the last bytes go: nothing the server answers to them passes
                    }
                    out.write(buffer, offset, step.forward());
                    out.flush();
                    offset += step.forward();
                    switch (step.then()) {
                        case CUT -> cutOrderly();
                        case RESET -> {
                            connection.close(true);
                            return;
                        }
                        case FREEZE -> {
                            step.thaw().await(); // nothing more either way until the next arm() or close()
                            connection.close(false);
                            return;
                        }
                        case PAUSE -> Thread.sleep(step.pause().toMillis(), step.pause().toNanosPart() % 1_000_000);
                        case CONTINUE -> {
                        }
                    }
                }
            }
        }

        /**
         * Ends both streams with FIN after what was forwarded, then reads and drops whatever still
         * comes until each side closes: closing a socket with unread data would send a reset.
         */
        private void cutOrderly() throws IOException {
            cut = true;
            for (Socket s : new Socket[] {connection.client(), connection.server()}) {
                s.setSoTimeout((int) LINGER.toMillis());
                if (!s.isOutputShutdown()) {
                    s.shutdownOutput();
                }
            }
        }
    }
}
