package dev.imapsync.internal.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.message.Attachment;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.testing.MimeCorpus;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a contact page shows for corpus messages, written down by hand: the whole preview path
 * without a server, from the BODYSTRUCTURE Dovecot sends (recorded) and the first 4 KiB of the
 * chosen part as {@code BODY.PEEK[part]<0.4096>} returns them (cut from the message).
 */
class PreviewCorpusExpectationsTest {
    private static final PreviewExtractor EXTRACTOR = new PreviewExtractor(PreviewExtractor.DEFAULT_MAX_CHARS);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            reply-outlook            | Hi Anna, yes, Thursday works for us. Kind regards Tom                   |
            reply-outlook-from-sent  | Sounds good, I will prepare the slides.                                  |
            reply-gmail              | Thanks, see you on Thursday!                                             |
            reply-html-only-gmail    | Agreed – let's sign.                                                     |
            reply-german             | Hallo Anna, passt, wir nehmen das Angebot an. Gruß Jürgen                |
            reply-french             | Bonjour, c'est noté, merci.                                              |
            reply-spanish            | Hola Anna, confirmamos el pedido para el lunes.                          |
            reply-interleaved        | Yes, within three days. Only by post.                                    |
            signature-and-mobile     | Running late, start without me.                                          |
            flowed-delsp-yes         | Japanese mail uses DelSp=yes so that lines join without a space: 日本語の文章は空白なしでつながります。 |
            charset-windows-1252-qp  | Hi Tom, “Thanks” for the call – the figures look right… I’ll send the €1,200 invoice tomorrow. Best, María |
            charset-iso-2022-jp-7bit | 山田様 いつもお世話になっております。来週の打ち合わせの件、火曜日の午後三時でいかがでしょうか。資料は事前にお送りします。 佐藤 |
            html-only                | Price list & terms Dear customer, the new prices apply from 1 January – see the table below. Widget 12 € |
            forwarded-with-note      | See Bob's message below, can you confirm? Anna                           | message/rfc822:
            forwarded-only           | The delivery is planned for the 14th, by truck.                          | message/rfc822:Delivery dates.eml
            pgp-inline-signed        | The keys for the build server rotate on Monday.                          |
            apple-mail-inline-image  | Here is the wall before painting:                                        | image/jpeg:IMG_0001.jpg
            mailing-list-footer      | The release moves to Friday; the freeze starts Wednesday noon.           |
            nested-mixed-related-alternative | Our December news: the new warehouse in Lyon is open. See you soon! | image/png:logo.png, application/pdf:news.pdf
            filename-rfc2231         | Three files with names in three ways.                                    | application/pdf:Résumé €.pdf, application/vnd.ms-excel:Jahresübersicht für München.xls, text/plain:a-very-long-file-name-that-mailers-split-in-two.txt
            filename-rfc2047         | Files named with encoded words, as Outlook and Gmail do.                 | application/pdf:Прайс-лист.pdf, image/jpeg:Grüße aus Köln.jpg
            calendar-request         | You are invited to the quarterly review on 10 December at 14:00.         | text/calendar:, application/ics:invite.ics
            """)
    void previewAndAttachments(String name, String preview, String attachments) throws Exception {
        MessagePreview shown = preview(name);

        assertThat(shown.text()).isEqualTo(preview);
        assertThat(shown.truncated()).isFalse();
        assertThat(String.join(", ", shown.attachments().stream().map(a -> a.mimeType() + ":" + a.name()).toList()))
                .isEqualTo(attachments == null ? "" : attachments);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            pgp-inline-encrypted | true  | false |
            pgp-mime-encrypted   | true  | false |
            smime-encrypted      | true  | false |
            smime-opaque-signed  | false | true  |
            smime-signed         | false | true  |
            pgp-mime-signed      | false | true  |
            calendar-reply       | false | false | REPLY
            calendar-request     | false | false | REQUEST
            """)
    void kindsOfMessage(String name, boolean encrypted, boolean signed, String method) throws Exception {
        MessagePreview shown = preview(name);

        assertThat(shown.encrypted()).as("encrypted").isEqualTo(encrypted);
        assertThat(shown.signed()).as("signed").isEqualTo(signed);
        assertThat(shown.calendarMethod().orElse(null)).isEqualTo(method);
        if (encrypted) {
            assertThat(shown.text()).isEmpty();
            assertThat(shown.attachments()).extracting(Attachment::name).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"long-text", "broken-truncated"})
    void aLongTextIsCutOnAWordAndSaysSo(String name) throws Exception {
        MessagePreview shown = preview(name);

        if (name.equals("long-text")) {
            assertThat(shown.truncated()).isTrue();
            assertThat(shown.text()).hasSizeLessThanOrEqualTo(256).startsWith("Paragraph 1 of the quarterly report:")
                    .doesNotEndWith(" ");
            assertThat("Paragraph 1 of the quarterly report: revenue grew in every region, costs stayed flat, and the"
                    + " team shipped the new onboarding flow ahead of schedule. Paragraph 2").startsWith(
                    shown.text().substring(0, 100));
        } else {
            assertThat(shown.text()).isEqualTo("The start of a message whose end was lost.");
        }
    }

    private static MessagePreview preview(String name) throws Exception {
        byte[] structure = MimeCorpus.dovecotBodyStructure(name);
        PreviewPlan plan = PreviewPlanner.plan(structure, 0, structure.length);
        if (plan.text().isEmpty()) {
            return plan.toPreview();
        }
        TextPart part = plan.text().get();
        byte[] body = rawBody(MimeCorpus.load(name).bytes(), part.section());
        byte[] fetched = body.length > 4096 ? Arrays.copyOf(body, 4096) : body;
        boolean cut = PreviewExtractor.isCut(part, 4096, fetched.length, false);
        return plan.toPreview(EXTRACTOR.extract(part, fetched, 0, fetched.length, false, cut));
    }

    /** The encoded body of a part, as {@code BODY[section]} returns it. */
    private static byte[] rawBody(byte[] message, String section) throws Exception {
        Part part = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message));
        for (String number : section.split("\\.")) {
            int index = Integer.parseInt(number);
            if (part.isMimeType("message/rfc822")) {
                part = (Part) part.getContent();
                if (!part.isMimeType("multipart/*")) {
                    continue;
                }
            }
            if (part.isMimeType("multipart/*")) {
                part = ((Multipart) part.getContent()).getBodyPart(index - 1);
            }
        }
        try (InputStream in = part instanceof MimeBodyPart ? ((MimeBodyPart) part).getRawInputStream()
                : ((MimeMessage) part).getRawInputStream()) {
            return in.readAllBytes();
        }
    }
}
