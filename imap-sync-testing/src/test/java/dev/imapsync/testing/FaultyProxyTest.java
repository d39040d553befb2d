package dev.imapsync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.testing.FaultyProxy.Direction;
import dev.imapsync.testing.FaultyProxy.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy's own contract, against an echo server on 127.0.0.1 that first sends a
 * {@value #GREETING_BYTES}-byte greeting: how many bytes pass before a cut or a freeze, and how
 * the client learns of it.
 */
class FaultyProxyTest {
    private static final int GREETING_BYTES = 100_000;
    private static final byte[] GREETING = greeting();

    private ServerSocket target;
    private Thread server;
    private FaultyProxy proxy;
    /** What the server received on each connection, once it ended. */
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void startEchoServer() throws IOException {
        target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server = new Thread(this::serve, "faulty-proxy-test-echo");
        server.setDaemon(true);
        server.start();
        proxy = FaultyProxy.to("127.0.0.1", target.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        target.close();
    }

    /** Each connection: the greeting, then every byte received back, on a thread of its own. */
    private void serve() {
        while (true) {
            Socket s;
            try {
                s = target.accept();
            } catch (IOException e) {
                return;
            }
            Thread t = new Thread(() -> {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                try (s) {
                    OutputStream out = s.getOutputStream();
                    out.write(GREETING);
                    out.flush();
                    InputStream in = s.getInputStream();
                    for (int b = in.read(); b >= 0; b = in.read()) {
                        got.write(b);
                        out.write(b);
                    }
                } catch (IOException e) {
                    // the test cut it
                }
                received.add(got.toByteArray());
            });
            t.setDaemon(true);
            t.start();
        }
    }

    @Test
    void withoutAFaultEverythingPassesAndIsCounted() throws IOException {
        try (Socket client = connect()) {
            assertThat(readFully(client.getInputStream(), GREETING_BYTES)).isEqualTo(GREETING);
            client.getOutputStream().write("hello\r\n".getBytes());
            assertThat(readFully(client.getInputStream(), 7)).isEqualTo("hello\r\n".getBytes());
        }
        assertThat(proxy.bytes(Direction.SERVER_TO_CLIENT)).isEqualTo(GREETING_BYTES + 7);
        assertThat(proxy.bytes(Direction.CLIENT_TO_SERVER)).isEqualTo(7);
        assertThat(proxy.faultsInjected()).isZero();
    }

    @Test
    void anOrderlyCutDeliversExactlyTheOffsetThenTheEndOfTheStream() throws IOException {
        proxy.arm(Fault.cut(Direction.SERVER_TO_CLIENT, 54_321, false));
        try (Socket client = connect()) {
            byte[] got = client.getInputStream().readAllBytes();
            assertThat(got).isEqualTo(Arrays.copyOf(GREETING, 54_321));
        }
        assertThat(proxy.faultsInjected()).isEqualTo(1);
    }

    @Test
    void aResetIsSeenAsAResetAfterAtMostTheOffset() throws IOException {
        proxy.arm(Fault.cut(Direction.SERVER_TO_CLIENT, 1000, true));
        try (Socket client = connect()) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            assertThatThrownBy(() -> {
                InputStream in = client.getInputStream();
                for (int b = in.read(); b >= 0; b = in.read()) {
                    got.write(b);
                }
            }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
            assertThat(got.size()).isLessThanOrEqualTo(1000); // a reset may discard what was in flight
        }
    }

    @Test
    void aCutOfTheClientsStreamDeliversExactlyTheOffsetToTheServer() throws Exception {
        proxy.arm(Fault.cut(Direction.CLIENT_TO_SERVER, 3, false));
        try (Socket client = connect()) {
            readFully(client.getInputStream(), GREETING_BYTES);
            client.getOutputStream().write("hello\r\n".getBytes());
            assertThat(client.getInputStream().read()).as("the end of the stream").isEqualTo(-1);
        }
        assertThat(received.poll(10, TimeUnit.SECONDS)).as("what the server received").isEqualTo("hel".getBytes());
        assertThat(proxy.bytes(Direction.CLIENT_TO_SERVER)).isEqualTo(3);
    }

    @Test
    void aFreezeStopsBothDirectionsWithoutClosingUntilTheNextArm() throws IOException {
        proxy.arm(Fault.freeze(Direction.SERVER_TO_CLIENT, 70_000));
        try (Socket client = connect()) {
            client.setSoTimeout((int) Duration.ofMillis(300).toMillis());
            assertThat(readFully(client.getInputStream(), 70_000)).isEqualTo(Arrays.copyOf(GREETING, 70_000));
            client.getOutputStream().write("ping".getBytes());
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.bytes(Direction.CLIENT_TO_SERVER)).isZero();

            proxy.arm(Fault.none());
            client.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            assertThat(client.getInputStream().read()).as("the end of the stream, once released").isEqualTo(-1);
        }
    }

    @Test
    void aThrottleDeliversEverything() throws IOException {
        proxy.arm(Fault.throttle(8192, Duration.ofMillis(1)));
        try (Socket client = connect()) {
            assertThat(readFully(client.getInputStream(), GREETING_BYTES)).isEqualTo(GREETING);
        }
        assertThat(proxy.faultsInjected()).isZero();
    }

    @Test
    void onlyLoopbackTargets() {
        assertThatThrownBy(() -> FaultyProxy.to("192.0.2.1", 993)).isInstanceOf(IllegalArgumentException.class);
    }

    private Socket connect() throws IOException {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        client.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
        return client;
    }

    private static byte[] readFully(InputStream in, int count) throws IOException {
        byte[] data = in.readNBytes(count);
        assertThat(data).hasSize(count);
        return data;
    }

    private static byte[] greeting() {
        byte[] data = new byte[GREETING_BYTES];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        return data;
    }
}
