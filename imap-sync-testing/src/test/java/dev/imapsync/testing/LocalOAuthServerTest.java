package dev.imapsync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * Starting on Dovecot's fixed OAuth port, which concurrent test runs share: a port another
 * program holds skips the test with a message that says why, once it has waited; a free port
 * starts the server.
 */
class LocalOAuthServerTest {
    @Test
    void aPortThatStaysTakenSkipsTheTestSayingWhy() throws IOException {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = other.getLocalPort();

            assertThatThrownBy(() -> LocalOAuthServer.startWhenFree(port, Dovecot.OAUTH_USER, Duration.ofMillis(300)))
                    .isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining("127.0.0.1:" + port + " stayed taken")
                    .hasMessageContaining("IMAPSYNC_DOVECOT_OAUTH_PORT");
        }
    }

    @Test
    void aFreePortStartsTheServerThere() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }

        try (LocalOAuthServer server = LocalOAuthServer.startWhenFree(port, Dovecot.OAUTH_USER, Duration.ofSeconds(5))) {
            assertThat(server.tokenEndpoint()).contains(":" + port + "/imapsync/");
            assertThat(server.issueAccessToken()).isNotBlank();
        }
    }
}
