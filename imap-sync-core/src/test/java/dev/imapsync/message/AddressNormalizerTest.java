package dev.imapsync.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressNormalizerTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            anna@example.com              | anna@example.com
            Anna.Schmidt@Example.COM      | anna.schmidt@example.com
            '  anna@example.com  '        | anna@example.com
            anna@example.com.             | anna@example.com
            info@bücher.example           | info@xn--bcher-kva.example
            kontakt@MÜNCHEN.example       | kontakt@xn--mnchen-3ya.example
            Jörg@example.de               | jörg@example.de
            no-at-sign                    | no-at-sign
            NO-AT-SIGN                    | no-at-sign
            """)
    void normalizes(String address, String normalized) {
        assertThat(AddressNormalizer.normalize(address)).isEqualTo(normalized);
    }

    @Test
    void theAsciiShortcutGivesWhatTheUnicodePathGives() {
        Random random = new Random(7);
        String alphabet = "abcXYZ09.-_+@@ \t.";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(24);
            for (int i = 0; i < length; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String address = sb.toString();
            assertThat(AddressNormalizer.normalize(address)).as("normalize(\"%s\")", address)
                    .isEqualTo(unicodePath(address));
        }
    }

    @Test
    void anAddressAlreadyNormalizedIsReturnedAsIs() {
        String address = "anna@example.com";

        assertThat(AddressNormalizer.normalize(address)).isSameAs(address);
    }

    /** The general algorithm, as AddressNormalizer had it before its ASCII shortcut. */
    private static String unicodePath(String address) {
        String a = Normalizer.normalize(address.trim(), Normalizer.Form.NFC);
        int at = a.lastIndexOf('@');
        if (at < 0) {
            return a.toLowerCase(Locale.ROOT);
        }
        String local = a.substring(0, at).toLowerCase(Locale.ROOT);
        String domain = a.substring(at + 1).toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        try {
            domain = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            // as in AddressNormalizer
        }
        return local + "@" + domain;
    }
}
