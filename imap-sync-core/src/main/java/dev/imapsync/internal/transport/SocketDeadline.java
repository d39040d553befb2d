package dev.imapsync.internal.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A hard deadline for the sockets of one connection: when it passes, every socket made
 * through it is closed. Read timeouts alone cannot stop a server that trickles one byte just
 * before each timeout; this can, and so a probe answers within its deadline whatever the
 * server does. Closing it (when the work is done in time) cancels the alarm.
 */
public final class SocketDeadline implements AutoCloseable {
    private static final ScheduledExecutorService ALARMS = alarms();

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final long deadlineNanos;
    private final ScheduledFuture<?> alarm;
    private volatile boolean expired;

    private SocketDeadline(long deadlineNanos, boolean armed) {
        this.deadlineNanos = deadlineNanos;
        this.alarm = armed ? ALARMS.schedule(this::expire, Math.max(1, deadlineNanos - System.nanoTime()),
                TimeUnit.NANOSECONDS) : null;
    }

    /** A deadline at {@code deadlineNanos} on the {@link System#nanoTime()} clock. */
    public static SocketDeadline at(long deadlineNanos) {
        return new SocketDeadline(deadlineNanos, true);
    }

    /** No deadline: sockets are only bounded by their timeouts. */
    public static SocketDeadline none() {
        return new SocketDeadline(Long.MAX_VALUE, false);
    }

    /** Whether the deadline passed and the sockets were closed because of it. */
    public boolean expired() {
        return expired;
    }

    /** Milliseconds left (at least 1), or {@code fallback} when there is no deadline. */
    public long millisLeft(long fallback) {
        if (alarm == null) {
            return fallback;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    /** Registers a socket to be closed at the deadline (at once if it already passed). */
    public <S extends Socket> S track(S socket) {
        sockets.add(socket);
        if (expired) {
            closeQuietly(socket);
        }
        return socket;
    }

    /**
     * The newest socket made through this deadline that is bound to {@code local} (a TLS socket
     * layered over a plain one is newer than it), or null.
     */
    public Socket socketAt(java.net.SocketAddress local) {
        if (local == null) {
            return null;
        }
        for (int i = sockets.size() - 1; i >= 0; i--) {
            Socket s = sockets.get(i);
            if (local.equals(s.getLocalSocketAddress())) {
                return s;
            }
        }
        return null;
    }

    /**
     * A plain socket factory whose sockets obey this deadline and read through a
     * {@link FramingGuard}, which bounds lines, literals and responses.
     */
    public SocketFactory plainSockets() {
        return plainSockets(false);
    }

    /**
     * As {@link #plainSockets()}; with {@code startTls}, the sockets hand over one line at a time
     * until TLS is layered over them, so that bytes injected after the server's answer to
     * STARTTLS are found and refused ({@link #tlsSockets}).
     */
    public SocketFactory plainSockets(boolean startTls) {
        return new SocketFactory() {
            @Override
            public Socket createSocket() {
                return track(new GuardedSocket(startTls));
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return connected(createSocket(), new InetSocketAddress(host, port), null);
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
                return connected(createSocket(), new InetSocketAddress(host, port), new InetSocketAddress(local, localPort));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return connected(createSocket(), new InetSocketAddress(host, port), null);
            }

            @Override
            public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
                return connected(createSocket(), new InetSocketAddress(host, port), new InetSocketAddress(local, localPort));
            }
        };
    }

    private static Socket connected(Socket socket, InetSocketAddress remote, InetSocketAddress local) throws IOException {
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote);
            return socket;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /**
     * A TLS socket factory whose sockets (and the sockets it layers over) obey this deadline;
     * what they decrypt is read through a {@link FramingGuard}. Layering TLS over a socket of
     * {@link #plainSockets(boolean)} fails, before the handshake, if the server sent anything
     * past its answer to STARTTLS.
     */
    public SSLSocketFactory tlsSockets(SSLSocketFactory delegate) {
        return new SSLSocketFactory() {
            @Override
            public String[] getDefaultCipherSuites() {
                return delegate.getDefaultCipherSuites();
            }

            @Override
            public String[] getSupportedCipherSuites() {
                return delegate.getSupportedCipherSuites();
            }

            @Override
            public Socket createSocket(Socket plain, String host, int port, boolean autoClose) throws IOException {
                track(plain);
                GuardedSocket guarded = GuardedSocket.under(plain);
                if (guarded != null) {
                    guarded.handOverToTls();
                }
                return guarded(delegate.createSocket(plain, host, port, autoClose));
            }

            @Override
            public Socket createSocket() throws IOException {
                return guarded(delegate.createSocket());
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return guarded(delegate.createSocket(host, port));
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
                return guarded(delegate.createSocket(host, port, local, localPort));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return guarded(delegate.createSocket(host, port));
            }

            @Override
            public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
                return guarded(delegate.createSocket(host, port, local, localPort));
            }
        };
    }

    private Socket guarded(Socket tls) {
        return track(tls instanceof SSLSocket ? new GuardedSslSocket((SSLSocket) tls) : tls);
    }

    /**
     * Ends the time of every socket now, as if the deadline had passed: for work whose outcome
     * is no longer needed (the transport checks that lost to a better one).
     */
    public void expireNow() {
        close();
        expire();
    }

    /** Cancels the alarm; the sockets stay as they are. Safe twice. */
    @Override
    public void close() {
        if (alarm != null) {
            alarm.cancel(false);
        }
    }

    private void expire() {
        expired = true;
        sockets.forEach(SocketDeadline::closeQuietly);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // the socket is being abandoned at its deadline; a failure to close it changes nothing
        }
    }

    private static ScheduledExecutorService alarms() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "imap-sync-deadline");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
