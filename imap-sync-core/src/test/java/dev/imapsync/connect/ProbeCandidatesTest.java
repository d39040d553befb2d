package dev.imapsync.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import org.junit.jupiter.api.Test;

/** Which transports a probe tries, and in which order of preference. */
class ProbeCandidatesTest {

    private static ImapAccount.Builder at(int port, Security security) {
        return ImapAccount.builder().endpoint("imap.example.com", port, security).password("u@example.com", "p");
    }

    @Test
    void configuredFirstThenOtherModeOnTheSamePortThenTheStandardPorts() {
        assertThat(ConnectionProber.candidates(at(1993, Security.SSL_TLS).build())).containsExactly(
                Endpoint.of("imap.example.com", 1993, Security.SSL_TLS),
                Endpoint.of("imap.example.com", 1993, Security.STARTTLS),
                Endpoint.of("imap.example.com", 993, Security.SSL_TLS),
                Endpoint.of("imap.example.com", 143, Security.STARTTLS));
    }

    @Test
    void standardPortsAreNotTriedTwice() {
        assertThat(ConnectionProber.candidates(at(143, Security.STARTTLS).build())).containsExactly(
                Endpoint.of("imap.example.com", 143, Security.STARTTLS),
                Endpoint.of("imap.example.com", 143, Security.SSL_TLS),
                Endpoint.of("imap.example.com", 993, Security.SSL_TLS));
    }

    @Test
    void cleartextIsNeverACandidateWithoutOptIn() {
        assertThat(ConnectionProber.candidates(at(993, Security.SSL_TLS).build()))
                .noneMatch(e -> e.security() == Security.NONE);
    }

    @Test
    void withOptInCleartextComesLastOnTheConfiguredPortAndOn143() {
        assertThat(ConnectionProber.candidates(at(3143, Security.STARTTLS).allowInsecure(true).build())).containsExactly(
                Endpoint.of("imap.example.com", 3143, Security.STARTTLS),
                Endpoint.of("imap.example.com", 3143, Security.SSL_TLS),
                Endpoint.of("imap.example.com", 993, Security.SSL_TLS),
                Endpoint.of("imap.example.com", 143, Security.STARTTLS),
                Endpoint.of("imap.example.com", 3143, Security.NONE),
                Endpoint.of("imap.example.com", 143, Security.NONE));
    }

    @Test
    void aCleartextConfigurationIsTriedFirstButSecureModesAreStillTried() {
        assertThat(ConnectionProber.candidates(at(143, Security.NONE).allowInsecure(true).build())).containsExactly(
                Endpoint.of("imap.example.com", 143, Security.NONE),
                Endpoint.of("imap.example.com", 993, Security.SSL_TLS),
                Endpoint.of("imap.example.com", 143, Security.STARTTLS));
    }
}
