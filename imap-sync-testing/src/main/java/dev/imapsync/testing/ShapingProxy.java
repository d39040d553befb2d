package dev.imapsync.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 that makes a loopback connection behave like a wide-area link: a
 * fixed one-way delay and a bandwidth cap, each way, for measuring what round trips cost where
 * users' servers are (20-150 ms away). The kernel's {@code netem} is not needed.
 *
 * <p>It models a link with a queue in front of it: each chunk read from one side is stamped on
 * arrival, leaves the queue at the capped rate (its serialization delay: a chunk starts when the
 * previous one has left, or on arrival if the link is idle) and reaches the other side the
 * one-way delay after it left. So a lone command costs the delay, a 6 MB answer costs its size
 * over the rate plus the delay once, and two commands written back to back arrive back to back.
 * A direction's queue holds at most about twice its bandwidth-delay product (at least 256 KiB);
 * when it is full the proxy stops reading that side, as TCP's window would. TLS passes through
 * untouched.
 *
 * <pre>{@code
 * try (ShapingProxy link = ShapingProxy.to("127.0.0.1", dovecotTlsPort, ShapingProxy.Profile.RTT_60_MS)) {
 *     ... connect the client to 127.0.0.1:link.port() ...
 * }
 * }</pre>
 *
 * <p>Threads: one daemon acceptor, two daemon threads per direction of each connection (one
 * reads and stamps, one delivers on time). Thread-safe.
 */
public final class ShapingProxy implements AutoCloseable {
    private static final int CHUNK = 16 * 1024;
    private static final long MIN_QUEUE = 256 * 1024;

    /**
     * What the link does, the same each way.
     *
     * @param oneWayDelay    added to every chunk after it has left the queue (the round trip is twice this)
     * @param bitsPerSecond  the rate bytes leave the queue at; 0 for no cap
     */
    public record Profile(String name, Duration oneWayDelay, long bitsPerSecond) {
        /** 20 ms round trip, 200 Mbit/s: a server in the same region. */
        public static final Profile RTT_20_MS = new Profile("20ms", Duration.ofMillis(10), 200_000_000L);
        /** 60 ms round trip, 50 Mbit/s: a server on the same continent. */
        public static final Profile RTT_60_MS = new Profile("60ms", Duration.ofMillis(30), 50_000_000L);
        /** 150 ms round trip, 20 Mbit/s: a server across an ocean. */
        public static final Profile RTT_150_MS = new Profile("150ms", Duration.ofMillis(75), 20_000_000L);

        /** Checks the arguments. */
        public Profile {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(oneWayDelay, "oneWayDelay");
            if (oneWayDelay.isNegative() || bitsPerSecond < 0) {
                throw new IllegalArgumentException("a delay and a rate cannot be negative: " + oneWayDelay + ", "
                        + bitsPerSecond);
            }
        }

        /** One of the named profiles: {@code 20ms}, {@code 60ms}, {@code 150ms}. */
        public static Profile named(String name) {
            for (Profile p : new Profile[] {RTT_20_MS, RTT_60_MS, RTT_150_MS}) {
                if (p.name().equals(name)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("no link profile named " + name + "; the profiles are 20ms, 60ms, 150ms");
        }

        /** Nanoseconds {@code bytes} take to leave the queue. */
        long serializationNanos(long bytes) {
            return bitsPerSecond == 0 ? 0 : bytes * 8 * 1_000_000_000L / bitsPerSecond;
        }

        /** The most bytes one direction's queue holds. */
        long queueBytes() {
            long bdp = bitsPerSecond / 8 * oneWayDelay.toNanos() / 1_000_000_000L;
            return Math.max(MIN_QUEUE, 2 * bdp);
        }

        @Override
        public String toString() {
            return name + " (one-way " + oneWayDelay.toMillis() + " ms, "
                    + (bitsPerSecond == 0 ? "no cap" : bitsPerSecond / 1_000_000 + " Mbit/s") + ")";
        }
    }

    private final Profile profile;
    private final LoopbackForwarder forwarder;
    private final AtomicLong toServer = new AtomicLong();
    private final AtomicLong toClient = new AtomicLong();
    private final AtomicLong turns = new AtomicLong();
    private volatile boolean closed;

    private ShapingProxy(String host, int port, Profile profile) throws IOException {
        this.profile = profile;
        this.forwarder = LoopbackForwarder.start("imap-sync-test-shaping-proxy", host, port, this::shape);
    }

    /** A proxy shaping every connection to {@code host:port} (a loopback address) like {@code profile}. */
    public static ShapingProxy to(String host, int port, Profile profile) throws IOException {
        Objects.requireNonNull(profile, "profile");
        return new ShapingProxy(host, port, profile);
    }

    /** The port the proxy listens on, on 127.0.0.1. */
    public int port() {
        return forwarder.port();
    }

    /** The link it imitates. */
    public Profile profile() {
        return profile;
    }

    /** How many connections it accepted. */
    public int connections() {
        return forwarder.connections();
    }

    /** Bytes delivered to the server so far, all connections. */
    public long bytesToServer() {
        return toServer.get();
    }

    /** Bytes delivered to the client so far, all connections. */
    public long bytesToClient() {
        return toClient.get();
    }

    /**
     * The round trips seen so far, all connections: one per connection for its TCP handshake,
     * plus one each time the client sent bytes after the server had sent some since the client's
     * last bytes (it waited for an answer: a TLS flight, a greeting, a command's response). A
     * client that pipelines may write while answers still come, which counts as a turn too, so
     * this is exact for a client that waits for each answer and an upper bound otherwise.
     */
    public long turns() {
        return turns.get();
    }

    /** Stops accepting and closes every connection. Safe twice. */
    @Override
    public void close() {
        closed = true;
        forwarder.close();
    }

    private LoopbackForwarder.Pumps shape(LoopbackForwarder.Connection connection) {
        turns.incrementAndGet(); // the TCP handshake
        AtomicBoolean serverSpoke = new AtomicBoolean();
        Direction up = new Direction(connection.client(), connection.server(), toServer, () -> {
            if (serverSpoke.getAndSet(false)) {
                turns.incrementAndGet();
            }
        });
        Direction down = new Direction(connection.server(), connection.client(), toClient, () -> serverSpoke.set(true));
        return new LoopbackForwarder.Pumps(up::run, down::run);
    }

    /** A chunk in the queue: its bytes and when it reaches the other side. */
    private record Chunk(byte[] bytes, int length, long deliverAt) {
    }

    /**
     * One direction of one connection: a reader that stamps chunks (a thread of its own), and a
     * writer that delivers them on time (the forwarder's pump).
     */
    private final class Direction {
        private final Socket from;
        private final Socket to;
        private final AtomicLong delivered;
        /** Called for each chunk as it arrives. */
        private final Runnable arrived;
        private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
        // guarded by queue
        private long queued;
        private boolean readAll;
        private long linkFreeAt;

        Direction(Socket from, Socket to, AtomicLong delivered, Runnable arrived) {
            this.from = from;
            this.to = to;
            this.delivered = delivered;
            this.arrived = arrived;
        }

        /** Reads in a thread of its own and delivers in this one, until the end of the stream. */
        void run() throws IOException, InterruptedException {
            Thread reader = new Thread(this::read, Thread.currentThread().getName() + "-in");
            reader.setDaemon(true);
            reader.start();
            try {
                write();
            } catch (IOException | InterruptedException e) {
                synchronized (queue) {
                    queue.clear(); // the reader, if waiting for room, reads on and finds its socket closed
                    queued = 0;
                    queue.notifyAll();
                }
                throw e;
            }
        }

        private void read() {
            try {
                InputStream in = from.getInputStream();
                while (true) {
                    byte[] buffer = new byte[CHUNK];
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    long now = System.nanoTime();
                    arrived.run();
                    synchronized (queue) {
                        while (queued >= profile.queueBytes() && !closed) {
                            queue.wait(); // the link's buffer is full: stop reading, as TCP would
                        }
                        long leaves = Math.max(now, linkFreeAt) + profile.serializationNanos(n);
                        linkFreeAt = leaves;
                        queue.addLast(new Chunk(buffer, n, leaves + profile.oneWayDelay().toNanos()));
                        queued += n;
                        queue.notifyAll();
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the side closed or reset: end this direction after what is queued
            }
            synchronized (queue) {
                readAll = true;
                queue.notifyAll();
            }
        }

        private void write() throws IOException, InterruptedException {
            OutputStream out = to.getOutputStream();
            while (true) {
                Chunk chunk;
                synchronized (queue) {
                    while (queue.isEmpty() && !readAll) {
                        queue.wait();
                    }
                    chunk = queue.peekFirst();
                }
                if (chunk == null) {
                    return; // all read and delivered: the forwarder passes the end of the stream on
                }
                long wait;
                while ((wait = chunk.deliverAt() - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                // counted before the write: the receiver may answer, and the answer reach the other side,
                // before this thread runs again, and a caller that read that answer must see these bytes
                delivered.addAndGet(chunk.length());
                out.write(chunk.bytes(), 0, chunk.length());
                out.flush();
                synchronized (queue) {
                    queue.removeFirst();
                    queued -= chunk.length();
                    queue.notifyAll();
                }
            }
        }
    }
}
