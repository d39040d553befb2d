package dev.imapsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one line of capabilities a person reads after a login. */
class CapabilitySummaryTest {
    @Test
    void showsWhatMattersInAFixedOrderSummarizesSignInAndCountsTheRest() {
        List<String> dovecot = List.of("IMAP4REV1", "SASL-IR", "LOGIN-REFERRALS", "ID", "ENABLE", "IDLE", "SORT",
                "SORT=DISPLAY", "THREAD=REFERENCES", "MULTIAPPEND", "UNSELECT", "CHILDREN", "NAMESPACE", "UIDPLUS",
                "LIST-EXTENDED", "I18NLEVEL=1", "CONDSTORE", "QRESYNC", "ESEARCH", "ESORT", "SEARCHRES", "WITHIN",
                "CONTEXT=SEARCH", "LIST-STATUS", "BINARY", "MOVE", "SNIPPET=FUZZY", "PREVIEW=FUZZY", "SPECIAL-USE");

        assertThat(CapabilitySummary.of(dovecot)).isEqualTo("IDLE CONDSTORE QRESYNC SPECIAL-USE ESEARCH MOVE UIDPLUS"
                + " ID NAMESPACE LIST-EXTENDED LIST-STATUS SORT THREAD=REFERENCES; 16 more with --json");
    }

    @Test
    void leftoversFromBeforeTheLoginAreNotShownBesideItsSuccess() {
        String line = CapabilitySummary.of(List.of("IMAP4rev1", "LOGINDISABLED", "STARTTLS", "AUTH=PLAIN",
                "auth=xoauth2", "X-GM-EXT-1", "COMPRESS=DEFLATE"));

        assertThat(line).isEqualTo("COMPRESS=DEFLATE X-GM-EXT-1; sign-in: PLAIN, XOAUTH2; 3 more with --json");
    }

    @Test
    void aServerWithNothingOfNoteSaysSo() {
        assertThat(CapabilitySummary.of(List.of("IMAP4REV1"))).isEqualTo("none of note; 1 more with --json");
        assertThat(CapabilitySummary.of(List.of())).isEqualTo("none of note");
    }
}
