package dev.imapsync.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * What {@link FaultyProxy} and {@link ShapingProxy} share: a listening socket on 127.0.0.1, a
 * daemon acceptor that opens a connection to the target for each client, one pair of pumps per
 * connection (client to server, server to client, each in a daemon thread of its own), and the
 * close of everything. What a pump does with the bytes (cut them, delay them) is the proxy's.
 *
 * <p>A pump that returns has forwarded the end of its stream: the forwarder passes it on with a
 * half-close, and the other direction may go on. A pump that throws ends the whole connection.
 * When both pumps have ended, both sockets are closed. A client whose target cannot be reached
 * is reset, as a refused connection would be.
 */
final class LoopbackForwarder implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** One direction of one connection: forwards until the end of its stream. */
    @FunctionalInterface
    interface Pump {
        /** Runs in a thread of its own; returns at the end of the stream, throws when a side failed. */
        void run() throws IOException, InterruptedException;
    }

    /** The two pumps of one connection. */
    record Pumps(Pump up, Pump down) {
    }

    private final String name;
    private final InetSocketAddress target;
    private final Function<Connection, Pumps> pumps;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    private LoopbackForwarder(String name, InetSocketAddress target, Function<Connection, Pumps> pumps)
            throws IOException {
        this.name = name;
        this.target = target;
        this.pumps = pumps;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, name + "-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts forwarding to {@code host:port}, which must be a loopback address: tests never send
     * traffic elsewhere.
     *
     * @param name  the prefix of the threads' names ({@code imap-sync-test-faulty-proxy})
     * @param pumps makes the pumps of each new connection; called on the acceptor thread
     */
    static LoopbackForwarder start(String name, String host, int port, Function<Connection, Pumps> pumps)
            throws IOException {
        InetSocketAddress target = new InetSocketAddress(host, port);
        if (target.getAddress() == null || !target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("The proxy forwards to loopback addresses only, not " + host);
        }
        return new LoopbackForwarder(name, target, pumps);
    }

    /** The port it listens on. */
    int port() {
        return listener.getLocalPort();
    }

    /** The address it listens on. */
    String host() {
        return listener.getInetAddress().getHostAddress();
    }

    /** How many connections it accepted (and reached the target for) since it started. */
    int connections() {
        return accepted.get();
    }

    /** How many connections are open now. */
    int openConnections() {
        return open.size();
    }

    /** Stops accepting, closes every connection and waits (briefly) for the acceptor to end. Safe twice. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Connection c : open) {
            c.close(false);
        }
        try {
            acceptor.join(CONNECT_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket server = new Socket();
            try {
                server.connect(target, (int) CONNECT_TIMEOUT.toMillis());
                // forward each piece as it comes: Nagle's delay would add to what the proxy does
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(client, true);
                closeQuietly(server, false);
                continue;
            }
            int n = accepted.incrementAndGet();
            Connection connection = new Connection(client, server);
            open.add(connection);
            if (closed) { // close() may have gone over the set before this one was in it
                connection.close(false);
                return;
            }
            Pumps p = pumps.apply(connection);
            connection.start(p.up(), connection.server, name + "-" + n + "-up");
            connection.start(p.down(), connection.client, name + "-" + n + "-down");
        }
    }

    /** One proxied connection: the client's socket and the server's. */
    final class Connection {
        private final Socket client;
        private final Socket server;
        private final AtomicInteger pumpsLeft = new AtomicInteger(2);

        private Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        /** The socket to the client. */
        Socket client() {
            return client;
        }

        /** The socket to the server. */
        Socket server() {
            return server;
        }

        /** Closes both sockets: with a TCP reset if {@code reset}, else with FIN. Safe twice. */
        void close(boolean reset) {
            open.remove(this);
            closeQuietly(client, reset);
            closeQuietly(server, reset);
        }

        private void start(Pump pump, Socket to, String threadName) {
            Thread t = new Thread(() -> {
                try {
                    pump.run();
                    if (!to.isClosed() && !to.isOutputShutdown()) {
                        to.shutdownOutput(); // pass the end of the stream on; the other direction may go on
                    }
                } catch (IOException | InterruptedException e) {
                    close(false); // a side closed or reset: so does the other
                } finally {
                    if (pumpsLeft.decrementAndGet() == 0) {
                        close(false);
                    }
                }
            }, threadName);
            t.setDaemon(true);
            t.start();
        }
    }

    private static void closeQuietly(Socket socket, boolean reset) {
        try {
            if (reset && !socket.isClosed()) {
                socket.setSoLinger(true, 0); // close() then sends RST instead of FIN
            }
        } catch (SocketException e) {
            // closed meanwhile
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }
}
