package dev.imapsync.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.testing.TestCertificates;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ImapAccountTest {
    private static final String PASSWORD = "s3cr3t-Passw0rd";

    private static ImapAccount.Builder valid() {
        return ImapAccount.builder()
                .endpoint("IMAP.Example.com ", 993, Security.SSL_TLS)
                .password("Alice@Example.com", PASSWORD);
    }

    @Test
    void defaultsAreSecureAndFinite() {
        ImapAccount account = valid().build();

        assertThat(account.endpoint()).isEqualTo(Endpoint.of("imap.example.com", 993, Security.SSL_TLS));
        assertThat(account.allowInsecure()).isFalse();
        assertThat(account.trustedCertificates()).isEmpty();
        assertThat(account.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(account.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(account.writeTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void idAndAddressDefaultToTheLoginWhenItIsAnAddress() {
        ImapAccount account = valid().alias("Alice.Smith@Example.com").alias("alice@example.com").build();

        assertThat(account.id()).isEqualTo("alice@example.com");
        assertThat(account.emailAddress()).isEqualTo("alice@example.com");
        assertThat(account.aliases()).containsExactly("alice.smith@example.com");
    }

    @Test
    void secretsNeverAppearInToString() {
        ImapAccount account = valid().build();

        assertThat(account.toString()).doesNotContain(PASSWORD).contains("imap.example.com:993 (ssl)");
        assertThat(account.credentials().toString()).doesNotContain(PASSWORD).contains("****");
        assertThat(Credentials.oauth2("a@b.c", () -> Secret.of("ya29.token")).toString())
                .doesNotContain("ya29").contains("****");
        assertThat(Secret.of(PASSWORD).toString()).isEqualTo("****");
    }

    @Test
    void toBuilderMakesAChangedCopyAndLeavesTheOriginal() {
        ImapAccount original = valid().id("crm-42").build();
        ImapAccount changed = original.toBuilder().endpoint("imap.example.com", 143, Security.STARTTLS).build();

        assertThat(changed.id()).isEqualTo("crm-42");
        assertThat(changed.endpoint().security()).isEqualTo(Security.STARTTLS);
        assertThat(original.endpoint().security()).isEqualTo(Security.SSL_TLS);
    }

    @Test
    void cleartextNeedsExplicitOptIn() {
        assertThatThrownBy(() -> valid().endpoint("imap.example.com", 143, Security.NONE).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Endpoint imap.example.com:143 (none) is cleartext: the password would be readable on the"
                        + " network. Use ssl or starttls, or call allowInsecure(true) if you accept that risk");
        assertThat(valid().endpoint("imap.example.com", 143, Security.NONE).allowInsecure(true).build()
                .endpoint().security()).isEqualTo(Security.NONE);
    }

    @Test
    void oauth2TokenIsNeverAllowedOverCleartext() {
        assertThatThrownBy(() -> valid().endpoint("imap.example.com", 143, Security.NONE).allowInsecure(true)
                .credentials(Credentials.oauth2("a@example.com", () -> Secret.of("t"))).build())
                .hasMessageContaining("an OAuth2 access token is never sent without TLS");
    }

    @Test
    void missingPartsAreNamedWithWhatToDo() {
        assertThatThrownBy(() -> ImapAccount.builder().password("u", "p").build())
                .hasMessageStartingWith("No endpoint: call endpoint(host, port, security)");
        assertThatThrownBy(() -> ImapAccount.builder().endpoint("h", 993, Security.SSL_TLS).build())
                .hasMessage("No credentials for h:993 (ssl): call password(user, password) or"
                        + " credentials(Credentials.oauth2(user, tokens))");
    }

    @Test
    void badValuesAreRejectedAtOnceWithTheFix() {
        assertThatThrownBy(() -> ImapAccount.builder().id("has space"))
                .hasMessage("Account id 'has space' is not usable: use 1-128 letters, digits or . _ @ + -");
        assertThatThrownBy(() -> ImapAccount.builder().emailAddress("not-an-address"))
                .hasMessage("emailAddress 'not-an-address' is not an email address: give it as name@domain (at most 320"
                        + " characters, no control characters)");
        assertThatThrownBy(() -> ImapAccount.builder().readTimeout(Duration.ZERO))
                .hasMessageContaining("timeouts are never infinite");
        assertThatThrownBy(() -> ImapAccount.builder().trustCertificatePem("garbage"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-----BEGIN CERTIFICATE-----");
        assertThatThrownBy(() -> Endpoint.of("imap.example.com", 0, Security.SSL_TLS))
                .hasMessageContaining("out of range: use 1-65535");
        assertThatThrownBy(() -> Endpoint.of("user@imap.example.com", Security.SSL_TLS))
                .hasMessageContaining("is not a host name");
        assertThatThrownBy(() -> Credentials.password(" ", "p"))
                .hasMessageStartingWith("The user name is empty");
        assertThatThrownBy(() -> Secret.of(""))
                .hasMessageStartingWith("The secret is empty");
    }

    @Test
    void trustedPemIsParsed() {
        ImapAccount account = valid().trustCertificatePem(TestCertificates.localhost().pem()).build();

        assertThat(account.trustedCertificates()).containsExactly(TestCertificates.localhost().certificate());
        assertThat(account.toString()).contains("trustedCertificates=1");
    }

    @Test
    void securityModesParseFromTheirCommandLineNames() {
        assertThat(Security.parse("SSL")).isEqualTo(Security.SSL_TLS);
        assertThat(Security.parse("tls")).isEqualTo(Security.SSL_TLS);
        assertThat(Security.parse("starttls")).isEqualTo(Security.STARTTLS);
        assertThat(Security.parse("none")).isEqualTo(Security.NONE);
        assertThatThrownBy(() -> Security.parse("auto"))
                .hasMessage("Unknown security mode 'auto': use ssl, starttls or none");
    }
}
