package dev.imapsync.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModifiedUtf7Test {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            [Google Mail]/Gesendet                    | [Google Mail]/Gesendet
            [Google Mail]/Entw&APw-rfe                | [Google Mail]/Entwürfe
            Envoy&AOk-s                               | Envoyés
            &AMk-l&AOk-ments envoy&AOk-s              | Éléments envoyés
            Courrier ind&AOk-sirable                  | Courrier indésirable
            &BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-        | Отправленные
            &BBoEPgRABDcEOAQ9BDA-                     | Корзина
            &kAFP4W4IMH8w4TD8MOs-                     | 送信済みメール
            &j,dg0TDhMPww6w-                          | 迷惑メール
            &XfJT0ZAB-                                | 已发送
            ~peter/mail/&U,BTFw-/&ZeVnLIqe-           | ~peter/mail/台北/日本語
            Kunden &2D3egA-                           | Kunden 🚀
            &2D3cwQ- Projekte                         | 📁 Projekte
            Gr&APwA3w-e &- Co                         | Grüße & Co
            Wiadomo&AVs-ci-&AVs-mieci                 | Wiadomości-śmieci
            """)
    void decodesAndEncodesMailboxNamesBothWays(String onTheWire, String forPeople) {
        assertThat(ModifiedUtf7.decode(onTheWire)).isEqualTo(forPeople);
        assertThat(ModifiedUtf7.encode(forPeople)).isEqualTo(onTheWire);
    }

    @Test
    void anAmpersandIsSentAsAmpersandDash() {
        assertThat(ModifiedUtf7.encode("R&D")).isEqualTo("R&-D");
        assertThat(ModifiedUtf7.decode("R&-D")).isEqualTo("R&D");
    }

    @ParameterizedTest(name = "\"{0}\" is kept as \"{1}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            Foo &                 | Foo &
            Foo &APw              | Foo &APw
            &AP-rfe               | &AP-rfe
            &2D0-                 | &2D0-
            &3gA-                 | &3gA-
            &AOk!-s               | &AOk!-s
            &AOl-                 | &AOl-
            Entw&APw-rfe &Jjo     | Entwürfe &Jjo
            """)
    void keepsMalformedShiftSequencesAsTheServerSentThem(String onTheWire, String decoded) {
        // &AP- is a half character, &2D0- a lone high surrogate, &3gA- a lone low surrogate,
        // &AOk!- has a character outside the alphabet, &AOl- ends in bits that are not zero padding
        assertThat(ModifiedUtf7.decode(onTheWire)).isEqualTo(decoded);
    }

    @Test
    void passesNamesAServerSendsInUtf8Through() {
        assertThat(ModifiedUtf7.decode("Entwürfe")).isEqualTo("Entwürfe");
        assertThat(ModifiedUtf7.decode("Отправленные")).isEqualTo("Отправленные");
    }

    @Test
    void neverThrowsWhateverTheServerSends() {
        Random random = new Random(42);
        String alphabet = "&-&-AZaz09+,/ é\u00fc\ud83d";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = sb.toString();
            assertThatCode(() -> ModifiedUtf7.decode(text)).doesNotThrowAnyException();
        }
    }
}
