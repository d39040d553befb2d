package dev.imapsync.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MailProviderTest {

    @Test
    void knownDomainsAreDiscoveredWithTheProvidersEndpointFirst() {
        // the provider's endpoint and the imap.<domain> guess coincide, and appear once
        assertThat(MailProvider.discover("someone@GMail.com")).containsExactly(
                Endpoint.of("imap.gmail.com", 993, Security.SSL_TLS),
                Endpoint.of("mail.gmail.com", 993, Security.SSL_TLS));
        assertThat(MailProvider.discover("x@hotmail.com").get(0)).isEqualTo(Endpoint.of("outlook.office365.com", Security.SSL_TLS));
        assertThat(MailProvider.discover("x@icloud.com").get(0)).isEqualTo(Endpoint.of("imap.mail.me.com", Security.SSL_TLS));
        assertThat(MailProvider.discover("x@yandex.ru").get(0)).isEqualTo(Endpoint.of("imap.yandex.com", Security.SSL_TLS));
    }

    @Test
    void unknownDomainsGetTheUsualGuesses() {
        assertThat(MailProvider.discover("bob@acme-corp.example")).containsExactly(
                Endpoint.of("imap.acme-corp.example", Security.SSL_TLS),
                Endpoint.of("mail.acme-corp.example", Security.SSL_TLS));
    }

    @Test
    void internationalizedDomainsAreComparedInTheirAsciiForm() {
        assertThat(MailProvider.discover("jörg@bücher.example").get(0).host()).isEqualTo("imap.xn--bcher-kva.example");
    }

    @Test
    void notAnAddressIsRejected() {
        assertThatThrownBy(() -> MailProvider.discover("nobody"))
                .hasMessage("'nobody' is not an email address: give it as name@domain");
    }

    @Test
    void providersAreRecognizedByDomainHostAndCapability() {
        assertThat(MailProvider.forEmailAddress("a@googlemail.com")).isEqualTo(MailProvider.GMAIL);
        assertThat(MailProvider.forEmailAddress("a@ymail.com")).isEqualTo(MailProvider.YAHOO);
        assertThat(MailProvider.forEmailAddress("a@acme.example")).isEqualTo(MailProvider.GENERIC);
        // a custom domain hosted by Microsoft 365 points at Microsoft's host
        assertThat(MailProvider.forHost("outlook.office365.com")).isEqualTo(MailProvider.OUTLOOK);
        assertThat(MailProvider.forHost("EUR01.outlook.office365.com.")).isEqualTo(MailProvider.OUTLOOK);
        assertThat(MailProvider.forHost("imap.acme.example")).isEqualTo(MailProvider.GENERIC);
        // Google Workspace behind a custom host name still says X-GM-EXT-1
        assertThat(MailProvider.detect("imap.acme.example", List.of("IMAP4REV1", "X-GM-EXT-1")))
                .isEqualTo(MailProvider.GMAIL);
        assertThat(MailProvider.detect("imap.acme.example", List.of("IMAP4REV1"))).isEqualTo(MailProvider.GENERIC);
    }

    @Test
    void hintsTellWhatToDo() {
        assertThat(MailProvider.GMAIL.authHint()).contains("app password").contains("less secure apps");
        assertThat(MailProvider.GMAIL.imapDisabledHint()).contains("Enable IMAP");
        assertThat(MailProvider.OUTLOOK.authHint()).contains("OAuth2");
        for (MailProvider p : MailProvider.values()) {
            assertThat(p.authHint()).isNotBlank();
            assertThat(p.imapDisabledHint()).isNotBlank();
            assertThat(p.displayName()).isNotBlank();
            assertThat(p.endpoint().isPresent()).isEqualTo(p != MailProvider.GENERIC);
        }
    }
}
