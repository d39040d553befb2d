package dev.imapsync.internal.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.message.Attachment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * BODYSTRUCTURE as real servers write it (case, omitted extension data, literals, bare-string
 * dispositions), the part numbering, the text part choice, and what a broken or hostile structure
 * gives.
 */
class PreviewPlannerTest {

    @Test
    void gmailWritesUpperCaseTypesAndFullExtensionData() {
        PreviewPlan plan = plan("((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"QUOTED-PRINTABLE\" 24 1 NIL NIL NIL)"
                + "(\"TEXT\" \"HTML\" (\"CHARSET\" \"UTF-8\") NIL NIL \"QUOTED-PRINTABLE\" 45 1 NIL NIL NIL)"
                + " \"ALTERNATIVE\" (\"BOUNDARY\" \"000000000000abc\") NIL NIL)");

        assertThat(plan.text()).contains(new TextPart("1", false, "UTF-8", "quoted-printable", false, false, 24));
        assertThat(plan.attachments()).isEmpty();
        assertThat(plan.warnings()).isEmpty();
    }

    @Test
    void gmailAttachmentsCarryAContentIdButStayAttachments() {
        PreviewPlan plan = plan("(((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"7BIT\" 10 1 NIL NIL NIL)"
                + "(\"TEXT\" \"HTML\" (\"CHARSET\" \"UTF-8\") NIL NIL \"7BIT\" 20 1 NIL NIL NIL) \"ALTERNATIVE\""
                + " (\"BOUNDARY\" \"a\") NIL NIL)(\"APPLICATION\" \"PDF\" (\"NAME\" \"invoice.pdf\") \"<f_k1>\" NIL"
                + " \"BASE64\" 10000 NIL (\"ATTACHMENT\" (\"FILENAME\" \"invoice.pdf\")) NIL) \"MIXED\""
                + " (\"BOUNDARY\" \"b\") NIL NIL)");

        assertThat(plan.text().map(TextPart::section)).contains("1.1");
        assertThat(plan.attachments()).containsExactly(
                new Attachment("2", "invoice.pdf", "application/pdf", 10000, false, Optional.of("f_k1")));
    }

    @Test
    void courierOmitsExtensionData() {
        PreviewPlan plan = plan("((\"text\" \"plain\" NIL NIL NIL \"7bit\" 10 1)"
                + "(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL \"base64\" 100) \"mixed\")");

        assertThat(plan.text()).contains(new TextPart("1", false, "us-ascii", "7bit", false, false, 10));
        assertThat(plan.attachments()).containsExactly(
                new Attachment("2", "a.pdf", "application/pdf", 100, false, Optional.empty()));
    }

    @Test
    void literalsAreReadAsTheServerSentThem() {
        byte[] name = "Résumé.pdf".getBytes(StandardCharsets.UTF_8);
        String structure = "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"8bit\" 3 1 NIL NIL NIL)"
                + "(\"application\" \"pdf\" NIL NIL NIL \"base64\" 9 NIL (\"attachment\" (\"filename\" {"
                + name.length + "}\r\nRésumé.pdf)) NIL) \"mixed\" NIL NIL NIL)";

        PreviewPlan plan = plan(structure);

        assertThat(plan.attachments()).extracting(Attachment::name).containsExactly("Résumé.pdf");
    }

    @Test
    void exchangeDispositionParametersAndCyrusLanguageAndLocationAreSkipped() {
        PreviewPlan plan = plan("((\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 3 1 NIL NIL (\"en\" \"de\")"
                + " \"http://example.com/x\")(\"application\" \"vnd.openxmlformats-officedocument.wordprocessingml.document\""
                + " (\"name\" \"offer.docx\") NIL \"offer.docx\" \"base64\" 4000 NIL (\"attachment\" (\"filename\""
                + " \"offer.docx\" \"size\" \"2950\" \"creation-date\" \"Mon, 07 Dec 2026 10:00:00 GMT\")) NIL NIL)"
                + " \"mixed\" (\"boundary\" \"_002_\") NIL \"en-US\")");

        assertThat(plan.text()).contains(new TextPart("1", true, "us-ascii", "7bit", false, false, 3));
        assertThat(plan.attachments()).extracting(Attachment::name, Attachment::mimeType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("offer.docx",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
    }

    @Test
    void aDispositionAsABareStringIsUnderstood() {
        PreviewPlan plan = plan("((\"text\" \"plain\" NIL NIL NIL \"7bit\" 3 1 NIL \"inline\")"
                + "(\"image\" \"gif\" (\"name\" \"a.gif\") NIL NIL \"base64\" 9 NIL \"inline\") \"mixed\")");

        assertThat(plan.attachments()).containsExactly(
                new Attachment("2", "a.gif", "image/gif", 9, true, Optional.empty()));
    }

    @Test
    void aForwardedMessageIsNumberedBelowItsPartAndListedAsOneAttachment() {
        String single = "((\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 1 NIL NIL NIL)(\"message\" \"rfc822\" NIL NIL NIL"
                + " \"7bit\" 300 (NIL \"Inner\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" NIL NIL NIL \"7bit\""
                + " 20 1 NIL NIL NIL) 10 NIL NIL NIL) \"mixed\" NIL NIL NIL)";
        String onlyForward = "((\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 300 (NIL \"Inner\" NIL NIL NIL NIL NIL NIL"
                + " NIL NIL) ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 20 1)(\"text\" \"html\" NIL NIL NIL \"7bit\" 40 1)"
                + " \"alternative\") 10) \"mixed\")";
        String singleInner = "((\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 300 (NIL \"Inner\" NIL NIL NIL NIL NIL NIL"
                + " NIL NIL) (\"text\" \"html\" NIL NIL NIL \"7bit\" 20 1) 10) \"mixed\")";

        assertThat(plan(single).text().map(TextPart::section)).contains("1");
        assertThat(plan(single).attachments()).extracting(Attachment::part, Attachment::mimeType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2", "message/rfc822"));
        assertThat(plan(onlyForward).text().map(TextPart::section)).as("no text of its own: the forwarded one")
                .contains("1.1");
        assertThat(plan(singleInner).text().map(TextPart::section)).contains("1.1");
    }

    @Test
    void aSinglePartMessageIsPartOne() {
        PreviewPlan text = plan("(\"text\" \"plain\" (\"charset\" \"iso-8859-1\" \"format\" \"flowed\" \"delsp\" \"yes\")"
                + " NIL NIL \"quoted-printable\" 120 4 NIL NIL NIL)");
        PreviewPlan pdf = plan("(\"application\" \"pdf\" (\"name\" \"scan.pdf\") NIL NIL \"base64\" 5000 NIL"
                + " (\"attachment\" (\"filename\" \"scan.pdf\")) NIL)");

        assertThat(text.text()).contains(new TextPart("1", false, "iso-8859-1", "quoted-printable", true, true, 120));
        assertThat(pdf.text()).isEmpty();
        assertThat(pdf.attachments()).containsExactly(
                new Attachment("1", "scan.pdf", "application/pdf", 5000, false, Optional.empty()));
    }

    @Test
    void aTextPartWithAFileNameIsAnAttachmentAndHtmlIsTheText() {
        PreviewPlan plan = plan("((\"text\" \"html\" NIL NIL NIL \"7bit\" 50 1 NIL NIL NIL)"
                + "(\"text\" \"plain\" (\"name\" \"notes.txt\") NIL NIL \"7bit\" 9 1 NIL NIL NIL) \"mixed\" NIL NIL NIL)");

        assertThat(plan.text().map(TextPart::section)).contains("1");
        assertThat(plan.text().map(TextPart::html)).contains(true);
        assertThat(plan.attachments()).extracting(Attachment::name).containsExactly("notes.txt");
    }

    @Test
    void appleMailTextAroundAnInlineImageIsBodyTextNotAnAttachment() {
        PreviewPlan plan = plan("((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 20 1 NIL NIL NIL NIL)"
                + "(\"image\" \"jpeg\" (\"name\" \"IMG_0001.jpg\") \"<A1B2@apple>\" NIL \"base64\" 90000 NIL"
                + " (\"inline\" (\"filename\" \"IMG_0001.jpg\")) NIL NIL)(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL"
                + " NIL \"7bit\" 30 2 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"Apple-Mail=_1\") NIL NIL NIL)");

        assertThat(plan.text().map(TextPart::section)).contains("1");
        assertThat(plan.attachments()).containsExactly(
                new Attachment("2", "IMG_0001.jpg", "image/jpeg", 90000, true, Optional.of("A1B2@apple")));
    }

    @Test
    void encryptedSignedAndCalendarMailIsRecognised() {
        PreviewPlan pgp = plan("((\"application\" \"pgp-encrypted\" NIL NIL NIL \"7bit\" 10 NIL NIL NIL)"
                + "(\"application\" \"octet-stream\" (\"name\" \"encrypted.asc\") NIL NIL \"7bit\" 900 NIL NIL NIL)"
                + " \"encrypted\" (\"protocol\" \"application/pgp-encrypted\") NIL NIL)");
        PreviewPlan smime = plan("(\"application\" \"x-pkcs7-mime\" (\"name\" \"smime.p7m\") NIL NIL \"base64\" 900 NIL"
                + " NIL NIL)");
        PreviewPlan signed = plan("((\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 1 NIL NIL NIL)(\"application\""
                + " \"pkcs7-signature\" (\"name\" \"smime.p7s\") NIL NIL \"base64\" 700 NIL NIL NIL) \"signed\" NIL NIL NIL)");
        PreviewPlan calendar = plan("((\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 1 NIL NIL NIL)(\"text\" \"calendar\""
                + " (\"charset\" \"utf-8\" \"method\" \"cancel\") NIL NIL \"7bit\" 700 10 NIL NIL NIL) \"alternative\" NIL NIL NIL)");

        assertThat(pgp.encrypted()).isTrue();
        assertThat(pgp.text()).isEmpty();
        assertThat(pgp.attachments()).as("ciphertext is no attachment").isEmpty();
        assertThat(smime.encrypted()).as("no smime-type: enveloped-data").isTrue();
        assertThat(signed.signed()).isTrue();
        assertThat(signed.encrypted()).isFalse();
        assertThat(signed.text().map(TextPart::section)).contains("1");
        assertThat(signed.attachments()).as("a signature is no attachment").isEmpty();
        assertThat(calendar.calendarMethod()).contains("CANCEL");
        assertThat(calendar.attachments()).extracting(Attachment::mimeType).containsExactly("text/calendar");
    }

    @Test
    void rfc2231ContinuationsAndEncodedWordsAreDecoded() {
        PreviewPlan plan = plan("((\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 1 NIL NIL NIL)"
                + "(\"application\" \"pdf\" NIL NIL NIL \"base64\" 9 NIL (\"attachment\" (\"filename*1*\" \"%FCr.pdf\""
                + " \"filename*0*\" \"iso-8859-1'de'Ang%E9bot%20f\")) NIL)"
                + "(\"image\" \"png\" (\"name\" \"=?UTF-8?Q?Gr=C3=BC=C3=9Fe.png?=\") \"<img1@x>\" NIL \"base64\" 9 NIL NIL NIL)"
                + " \"related\" NIL NIL NIL)");

        assertThat(plan.attachments()).containsExactly(
                new Attachment("2", "Angébot für.pdf", "application/pdf", 9, false, Optional.empty()),
                new Attachment("3", "Grüße.png", "image/png", 9, true, Optional.of("img1@x")));
    }

    @Test
    void onlyTheValueIsReadWhateverFollowsIt() {
        byte[] response = "* 3 FETCH (UID 7 BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 1) FLAGS (\\Seen))\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        int at = new String(response, StandardCharsets.US_ASCII).indexOf("(\"text");

        PreviewPlan plan = PreviewPlanner.plan(response, at, response.length - at);

        assertThat(plan.text().map(TextPart::section)).contains("1");
        assertThat(plan.warnings()).isEmpty();
    }

    @Test
    void brokenStructuresGiveAnEmptyPlanAndAWarning() {
        assertThat(plan("(\"text\" \"plain\" NIL NIL").warnings())
                .containsExactly("BODYSTRUCTURE ends before its closing parenthesis; no preview and no attachment list");
        assertThat(plan("NIL").warnings())
                .containsExactly("BODYSTRUCTURE does not start with '('; no preview and no attachment list");
        assertThat(plan("(\"text\" \"plain\" {999}\r\nabc)").warnings()).containsExactly(
                "a literal of 999 bytes runs past the end of BODYSTRUCTURE; no preview and no attachment list");
        assertThat(plan("()").warnings())
                .containsExactly("a body of BODYSTRUCTURE is an empty list; no preview and no attachment list");
        assertThat(PreviewPlanner.plan(null, 0, 0).warnings())
                .containsExactly("no BODYSTRUCTURE bytes in the given range; no preview and no attachment list");
        assertThat(PreviewPlanner.plan(new byte[3], 2, 5).text()).isEmpty();
    }

    @Test
    void nestingAndPartCountAreBounded() {
        String leaf = "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 1)";
        String deep = "(".repeat(17) + leaf + " \"mixed\")".repeat(17);
        StringBuilder many = new StringBuilder("(");
        for (int i = 0; i < 501; i++) {
            many.append(leaf);
        }
        many.append(" \"mixed\")");

        assertThat(plan(deep).warnings())
                .containsExactly("BODYSTRUCTURE nests parts deeper than 16; no preview and no attachment list");
        assertThat(plan(many.toString()).warnings())
                .containsExactly("BODYSTRUCTURE has more than 500 parts; no preview and no attachment list");
        assertThat(plan("(".repeat(10_000)).warnings())
                .containsExactly("BODYSTRUCTURE nested deeper than 48 lists; no preview and no attachment list");
    }

    @Test
    void aPlanAndItsTextMakeTheMessagePreview() {
        PreviewPlan plan = plan("((\"text\" \"plain\" NIL NIL NIL \"7bit\" 5000 80 NIL NIL NIL)(\"application\" \"pdf\""
                + " (\"name\" \"a.pdf\") NIL NIL \"base64\" 9 NIL NIL NIL) \"mixed\" NIL NIL NIL)");
        TextPart part = plan.text().orElseThrow();

        assertThat(PreviewExtractor.isCut(part, 4096, 4096, false)).isTrue();
        assertThat(PreviewExtractor.isCut(part, 4096, 3000, false)).as("the server says 5000 bytes").isTrue();
        assertThat(PreviewExtractor.isCut(part, 4096, 3000, true)).as("BINARY: decoded bytes are fewer").isFalse();
        assertThat(plan.toPreview(new PreviewText("", false, List.of(), true, false)))
                .isEqualTo(new dev.imapsync.message.MessagePreview("", false, plan.attachments(), true, false,
                        Optional.empty()));
        assertThat(plan.toPreview().attachments()).extracting(Attachment::name).containsExactly("a.pdf");
    }

    private static PreviewPlan plan(String structure) {
        byte[] b = structure.getBytes(StandardCharsets.UTF_8);
        PreviewPlan plan = PreviewPlanner.plan(b, 0, b.length);
        assertThat(plan.attachments()).isEqualTo(List.copyOf(plan.attachments()));
        return plan;
    }
}
