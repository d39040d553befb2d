package dev.imapsync.folder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.testing.Fuzz;
import dev.imapsync.testing.Fuzz.Gen;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Modified UTF-7 (RFC 3501 5.1.3) on generated names. What it proves, for every generated input:
 * any well-formed text survives encode then decode, what encode writes is printable US-ASCII (an
 * IMAP command never carries a raw control or 8-bit byte for it) and encodes back to itself; and
 * decode never throws on anything a server may send, nor lets a control character into a
 * folder's display name.
 *
 * <p>Each property runs {@link Fuzz#TRIES} tries (2,000 unless {@code -Dimapsync.fuzz.tries=N});
 * seeds, replay and the failure message are described in {@link Fuzz}.
 */
class ModifiedUtf7PropertiesTest {

    @Test
    void anyNameSurvivesEncodeThenDecodeAndIsSentAsPrintableAscii() {
        Fuzz.check("ModifiedUtf7PropertiesTest#anyNameSurvivesEncodeThenDecodeAndIsSentAsPrintableAscii", g -> {
            String name = g.draw("name", ModifiedUtf7PropertiesTest::anyText);
            if (!wellFormed(name)) {
                return; // a lone surrogate is not text a person can name a folder with
            }
            String encoded = ModifiedUtf7.encode(name);
            g.note("encoded", encoded);

            assertThat(encoded).matches("[\\x20-\\x7E]*");
            assertThat(ModifiedUtf7.decode(encoded)).isEqualTo(name);
            assertThat(ModifiedUtf7.encode(ModifiedUtf7.decode(encoded))).isEqualTo(encoded);
        });
    }

    @Test
    void decodeNeverThrowsOnWhatAServerSends() {
        Fuzz.check("ModifiedUtf7PropertiesTest#decodeNeverThrowsOnWhatAServerSends", g -> {
            String raw = g.draw("raw", ModifiedUtf7PropertiesTest::serverText);

            String decoded = ModifiedUtf7.decode(raw);

            assertThat(decoded).isNotNull();
            assertThat(MailFolder.fromList(raw.isEmpty() ? "x" : raw, "/", List.of()).displayName())
                    .doesNotContainPattern("[\\x00-\\x1F\\x7F-\\x9F]");
        });
    }

    // ---- generators

    /**
     * Up to 255 chars of any kind: printable ASCII with the shift characters {@code &} and
     * {@code -} often, controls, Latin-1, anything in the BMP, and characters outside the BMP as
     * surrogate pairs. Never a lone surrogate (the property would skip it).
     */
    private static String anyText(Gen g) {
        int length = g.size(0, 255);
        StringBuilder s = new StringBuilder(length);
        while (s.length() < length) {
            switch (g.nextInt(6)) {
                case 0 -> s.append(g.pick('&', '-', '&', '+', ',', '/', ' '));
                case 1 -> s.append(g.aChar('\u0020', '\u007E'));
                case 2 -> s.append(g.aChar('\u0000', '\u00FF'));
                case 3 -> {
                    char c = g.aChar('\u0000', '\uFFFF');
                    if (Character.isSurrogate(c)) {
                        s.appendCodePoint(g.between(0x10000, Character.MAX_CODE_POINT));
                    } else {
                        s.append(c);
                    }
                }
                case 4 -> s.appendCodePoint(g.between(0x10000, Character.MAX_CODE_POINT));
                default -> s.append(g.pick("&-", "&AGE-", "\u00E9", "\u65E5\u672C", "\uD83D\uDE80", "\u0000", "\r\n"));
            }
        }
        return s.toString();
    }

    /** Up to 255 chars from 'A'..'z' and the characters that matter to the decoder, well-formed or not. */
    private static String serverText(Gen g) {
        String special = "&-,+AZa0/\"\\\r\n\0\u00E9\u00FF";
        int length = g.size(0, 255);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(g.nextBoolean() ? special.charAt(g.nextInt(special.length())) : g.aChar('A', 'z'));
        }
        return s.toString();
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
