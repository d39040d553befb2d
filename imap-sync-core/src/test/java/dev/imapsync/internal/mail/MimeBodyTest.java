package dev.imapsync.internal.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.message.Attachment;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * What a person reads of a message parsed whole by Jakarta Mail: broken, deep, wide and oddly
 * encoded structures end in text and warnings, never an exception; part numbers follow IMAP's.
 */
class MimeBodyTest {
    private static final MimeBody.Limits LIMITS = new MimeBody.Limits(1_000, 10_000, 20_000, 50);

    private static MimeMessage parse(String raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.replaceAll("\r?\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void aSinglePartMessageIsPartOneAndItsCharsetIsDecoded() throws Exception {
        MimeMessage m = parse("Subject: x\nContent-Type: text/plain; charset=ISO-8859-1\n"
                + "Content-Transfer-Encoding: quoted-printable\n\nGr=FC=DFe aus K=F6ln\n");

        MimeBody body = MimeBody.read(m, LIMITS);

        assertThat(body.text()).hasValue("Grüße aus Köln\n");
        assertThat(body.attachments()).isEmpty();
        assertThat(MimeStructure.find(m, "1")).isSameAs(m);
        assertThat(MimeStructure.find(m, "2")).isNull();
    }

    @Test
    void anUnknownCharsetIsReadAsUtf8WithAWarning() throws Exception {
        MimeBody body = MimeBody.read(parse("Subject: x\nContent-Type: text/plain; charset=x-no-such-charset\n\nplain"),
                LIMITS);

        assertThat(body.text()).hasValue("plain");
        assertThat(body.warnings()).containsExactly("part 1 declares the unknown charset x-no-such-charset; read as UTF-8");
    }

    @Test
    void aTextLongerThanTheCapIsCutWithAWarning() throws Exception {
        MimeBody body = MimeBody.read(parse("Subject: x\nContent-Type: text/plain\n\n" + "a".repeat(5_000)), LIMITS);

        assertThat(body.text().orElseThrow()).hasSize(1_000);
        assertThat(body.warnings()).containsExactly("the text of part 1 is longer than 1000 bytes and was cut");
    }

    @Test
    void structuresNestedTooDeepOrTooWideAreCutWithAWarningNotAnException() throws Exception {
        StringBuilder deep = new StringBuilder("Subject: deep\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n");
        for (int i = 0; i < 60; i++) {
            deep.append("--b").append(i).append("\nContent-Type: multipart/mixed; boundary=\"b").append(i + 1)
                    .append("\"\n\n");
        }
        deep.append("--b60\nContent-Type: text/plain\n\ndeep down\n");
        for (int i = 60; i >= 0; i--) {
            deep.append("--b").append(i).append("--\n");
        }
        MimeBody body = MimeBody.read(parse(deep.toString()), LIMITS);
        assertThat(body.text()).isEmpty();
        assertThat(body.warnings()).contains("parts nested deeper than 32 levels were left out");

        StringBuilder wide = new StringBuilder("Subject: wide\nContent-Type: multipart/mixed; boundary=\"w\"\n\n");
        for (int i = 0; i < 200; i++) {
            wide.append("--w\nContent-Type: application/octet-stream; name=\"f").append(i).append(".bin\"\n\nx\n");
        }
        wide.append("--w--\n");
        MimeBody many = MimeBody.read(parse(wide.toString()), LIMITS);
        assertThat(many.attachments()).hasSize(49);
        assertThat(many.warnings()).containsExactly("the message has more than 50 parts; the rest were left out");
    }

    @Test
    void partsOfAnAttachedMessageAreNumberedBelowItAndItsTextIsNotTheBody() throws Exception {
        MimeMessage m = parse("Subject: fwd\nContent-Type: multipart/mixed; boundary=\"o\"\n\n"
                + "--o\nContent-Type: text/plain\n\nSee below.\n"
                + "--o\nContent-Type: message/rfc822\n\n"
                + "Subject: inner\nContent-Type: multipart/mixed; boundary=\"i\"\n\n"
                + "--i\nContent-Type: text/plain\n\ninner text\n"
                + "--i\nContent-Type: text/csv; name=\"a.csv\"\nContent-Disposition: attachment; filename*=UTF-8''%C3%A4.csv\n\n"
                + "x,y\n--i--\n"
                + "--o\nContent-Type: message/rfc822\n\nSubject: single\nContent-Type: text/plain\n\nsingle text\n"
                + "--o--\n");

        MimeBody body = MimeBody.read(m, LIMITS);

        assertThat(body.text()).hasValue("See below.");
        assertThat(body.attachments()).extracting(Attachment::part, Attachment::name, Attachment::mimeType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2", "inner.eml", "message/rfc822"),
                        org.assertj.core.groups.Tuple.tuple("2.2", "ä.csv", "text/csv"),
                        org.assertj.core.groups.Tuple.tuple("3", "single.eml", "message/rfc822"));
        Part csv = MimeStructure.find(m, "2.2");
        assertThat(new String(csv.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("x,y");
        Part single = MimeStructure.find(m, "3.1");
        assertThat(new String(single.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("single text");
        assertThat(MimeStructure.find(m, "2.3")).isNull();
        assertThat(MimeStructure.find(m, "1.1")).isNull();
    }

    @Test
    void aBrokenStructureGivesWhatCanBeRead() throws Exception {
        MimeBody body = MimeBody.read(parse("Subject: broken\nContent-Type: multipart/mixed\n\nno boundary at all\n"),
                LIMITS);

        assertThat(body.text()).hasValue("no boundary at all\n");
        assertThat(body.html()).isEmpty();
        assertThat(body.warnings()).containsExactly("the MIME structure of the message is broken (Missing start"
                + " boundary); its raw content is shown as text");
    }
}
