package dev.imapsync.folder;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;

/**
 * Modified UTF-7 on generated names: any text survives encode then decode, what encode writes
 * is printable US-ASCII (an IMAP command never carries a raw control or 8-bit byte for it), and
 * decode never throws on anything a server may send. The budget is the module's
 * {@code jqwik.tries.default} (see HeaderParserPropertiesTest).
 */
class ModifiedUtf7PropertiesTest {

    @Property
    void anyNameSurvivesEncodeThenDecodeAndIsSentAsPrintableAscii(@ForAll String name) {
        if (!wellFormed(name)) {
            return; // a lone surrogate is not text a person can name a folder with
        }
        String encoded = ModifiedUtf7.encode(name);

        assertThat(encoded).matches("[\\x20-\\x7E]*");
        assertThat(ModifiedUtf7.decode(encoded)).isEqualTo(name);
        assertThat(ModifiedUtf7.encode(ModifiedUtf7.decode(encoded))).isEqualTo(encoded);
    }

    @Property
    void decodeNeverThrowsOnWhatAServerSends(
            @ForAll @Chars({'&', '-', ',', '+', 'A', 'Z', 'a', '0', '/', '"', '\\', '\r', '\n', '\0', '\u00E9', '\u00FF'})
            @CharRange(from = 'A', to = 'z') String raw) {
        String decoded = ModifiedUtf7.decode(raw);

        assertThat(decoded).isNotNull();
        assertThat(MailFolder.fromList(raw.isEmpty() ? "x" : raw, "/", java.util.List.of()).displayName())
                .doesNotContainPattern("[\\x00-\\x1F\\x7F-\\x9F]");
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
