package dev.imapsync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MimeCorpusTest {
    @Test
    void everyListedMessageLoadsWithCrlfLineEndsAndItsRecordedStructure() {
        List<MimeCorpus.Message> all = MimeCorpus.all();

        assertThat(all).hasSizeGreaterThanOrEqualTo(50);
        assertThat(all).extracting(MimeCorpus.Message::name).isSorted().doesNotHaveDuplicates();
        for (MimeCorpus.Message m : all) {
            String text = new String(m.bytes(), StandardCharsets.ISO_8859_1);
            assertThat(text).as(m.name()).contains("\r\n\r\n").doesNotContainPattern("[^\r]\n");
            assertThat(text).as(m.name()).contains("Message-ID: <" + m.name() + "@corpus.example>");
            assertThat(new String(MimeCorpus.dovecotBodyStructure(m.name()), StandardCharsets.UTF_8))
                    .as(m.name()).startsWith("(").endsWith(")");
        }
    }

    @Test
    void anUnknownNameSaysWhereTheNamesAre() {
        assertThatThrownBy(() -> MimeCorpus.load("no-such-message"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no corpus resource /dev/imapsync/testing/mime/no-such-message.eml")
                .hasMessageContaining("index.txt");
    }
}
