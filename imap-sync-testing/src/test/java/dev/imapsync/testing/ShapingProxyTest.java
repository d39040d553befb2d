package dev.imapsync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.testing.ShapingProxy.Profile;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shaping itself, against a server on 127.0.0.1 that answers a request of {@code n} bytes
 * ({@code n}, then the bytes) with {@code m} bytes ({@code m} asked in the request): a
 * ping-pong shows the round trip, a bulk transfer each way shows the rate. These measure a test
 * tool, so the tolerances are wide (a loaded 2-core machine delays threads by milliseconds), and
 * the whole class runs in about two seconds.
 */
class ShapingProxyTest {
    private ServerSocket target;

    @BeforeEach
    void startServer() throws IOException {
        target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread server = new Thread(this::serve, "shaping-proxy-test-server");
        server.setDaemon(true);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        target.close();
    }

    private void serve() {
        while (true) {
            Socket s;
            try {
                s = target.accept();
            } catch (IOException e) {
                return;
            }
            Thread t = new Thread(() -> answer(s), "shaping-proxy-test-connection");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Each request: int n, int m, n bytes; the answer: m bytes. */
    private static void answer(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                int n = in.readInt();
                int m = in.readInt();
                in.skipNBytes(n);
                out.write(new byte[m]);
                out.flush();
            }
        } catch (IOException e) {
            // the client closed
        }
    }

    /** Sends n bytes, reads m back: nanoseconds from the first byte written to the last read. */
    private static long exchange(Socket s, int n, int m) throws IOException {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        InputStream in = s.getInputStream();
        long start = System.nanoTime();
        out.writeInt(n);
        out.writeInt(m);
        out.write(new byte[n]);
        out.flush();
        new DataInputStream(in).readFully(new byte[m]);
        return System.nanoTime() - start;
    }

    @Test
    void aPingPongTakesTwiceTheOneWayDelay() throws IOException {
        try (ShapingProxy link = ShapingProxy.to("127.0.0.1", target.getLocalPort(), Profile.RTT_60_MS);
             Socket s = new Socket("127.0.0.1", link.port())) {
            s.setTcpNoDelay(true);
            exchange(s, 1, 1); // the connection's first exchange warms up the threads
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 4; i++) {
                best = Math.min(best, exchange(s, 1, 1));
            }
            // 60 ms on the link, a little serialization and scheduling on top
            assertThat(Duration.ofNanos(best)).isBetween(Duration.ofMillis(59), Duration.ofMillis(110));
        }
    }

    @Test
    void bulkTransfersGoAtTheCappedRateEachWay() throws IOException {
        Profile profile = new Profile("test", Duration.ofMillis(5), 40_000_000L);
        int bytes = 1_000_000; // 200 ms at 40 Mbit/s
        try (ShapingProxy link = ShapingProxy.to("127.0.0.1", target.getLocalPort(), profile);
             Socket s = new Socket("127.0.0.1", link.port())) {
            s.setTcpNoDelay(true);
            exchange(s, 1, 1);
            double up = bytes * 8e9 / (exchange(s, bytes, 1) - 10_000_000L);
            double down = bytes * 8e9 / (exchange(s, 1, bytes) - 10_000_000L);
            assertThat(up).as("upload bits/s").isBetween(40e6 * 0.7, 40e6 * 1.1);
            assertThat(down).as("download bits/s").isBetween(40e6 * 0.7, 40e6 * 1.1);
            assertThat(link.bytesToServer()).isGreaterThanOrEqualTo(bytes);
            assertThat(link.bytesToClient()).isGreaterThanOrEqualTo(bytes);
        }
    }

    @Test
    void forwardsToLoopbackOnly() {
        assertThatThrownBy(() -> ShapingProxy.to("192.0.2.1", 143, Profile.RTT_20_MS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Profile.named("150ms")).isEqualTo(Profile.RTT_150_MS);
    }
}
