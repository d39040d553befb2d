package dev.imapsync.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.message.EmailAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchKeysTest {
    private static final List<String> SAMPLES = List.of(
            "ann@example.com", "Ann@example.com", " ann@example.com", "ann@example.com.", "ann@example..com",
            "ann@bücher.example", "ann@xn--bcher-kva.example", "ann@XN--BCHER-KVA.example", "ann", "ann.", "",
            "@", "a@b", "a@" + "x".repeat(70) + ".example", "a@-bad-.example", "müller@example.com",
            "ann.lee@gmail.com", "annlee@gmail.com", "ann+x@gmail.com", "annlee@googlemail.com",
            "\"ann lee\"@example.com", "ann@[127.0.0.1]", "ann@example.com\t", "ﬁ@example.com");

    @Test
    void trustsOnlyTextThatIsItsOwnKey() {
        for (boolean gmail : new boolean[] {false, true}) {
            for (String sample : SAMPLES) {
                if (MatchKeys.isKey(sample, gmail)) {
                    assertThat(MatchKeys.of(sample, gmail)).as("key of '%s', gmail %s", sample, gmail).isEqualTo(sample);
                }
            }
        }
    }

    @Test
    void recognizesTheKeysOfPlainAddressesSoThatMissesStayCheap() {
        assertThat(MatchKeys.isKey("ann@example.com", false)).isTrue();
        assertThat(MatchKeys.isKey("ann.lee+x@gmail.com", false)).isTrue();
        assertThat(MatchKeys.isKey("annlee@gmail.com", true)).isTrue();
        assertThat(MatchKeys.isKey("ann.lee@gmail.com", true)).isFalse();
        assertThat(MatchKeys.isKey("annlee@googlemail.com", true)).isFalse();
    }

    @Test
    void trustsExactlyPrintableAsciiWithoutUpperCase() {
        for (char c = 0; c < 0x3000; c++) {
            String text = "a" + c + "z@example.com";
            boolean plain = c >= '!' && c <= '~' && !(c >= 'A' && c <= 'Z');
            assertThat(MatchKeys.isKey(text, false)).as("character %04x", (int) c).isEqualTo(plain);
        }
    }

    @Test
    void canonicalizesGmailAddressesOnly() {
        assertThat(MatchKeys.gmailCanonical("a.n.n+x+y@googlemail.com")).isEqualTo("ann@gmail.com");
        assertThat(MatchKeys.gmailCanonical("a.n.n+x@example.com")).isEqualTo("a.n.n+x@example.com");
        assertThat(MatchKeys.gmailCanonical("gmail.com")).isEqualTo("gmail.com");
        assertThat(MatchKeys.gmailCanonical(EmailAddress.normalize("Ann.Lee@GMail.com"))).isEqualTo("annlee@gmail.com");
    }
}
