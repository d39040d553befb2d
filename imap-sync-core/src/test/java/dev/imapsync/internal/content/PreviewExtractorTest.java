package dev.imapsync.internal.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The extractor's rules, one by one: decoding a cut prefix, flowed text, HTML, quotes, signatures, length. */
class PreviewExtractorTest {
    private static final PreviewExtractor EXTRACTOR = new PreviewExtractor(256);

    @Nested
    class Decoding {
        @Test
        void quotedPrintableCutInsideAnEscapeDropsTheEscape() {
            assertThat(plain("quoted-printable", "utf-8", "Gr=C3=BC=C3=9Fe aus W=C3=BCrzburg =", true))
                    .isEqualTo(new PreviewText("Grüße aus", true, java.util.List.of()));
            assertThat(plain("quoted-printable", "utf-8", "Gr=C3=BC=C3=9Fe aus W=C3=BCrzburg und =C3", true).text())
                    .as("a lone lead byte of UTF-8 at the cut").isEqualTo("Grüße aus Würzburg");
            assertThat(plain("quoted-printable", "utf-8", "soft=\r\nbreak and a bad =ZZ escape=", false).text())
                    .isEqualTo("softbreak and a bad =ZZ escape=");
        }

        @Test
        void base64CutAnywhereKeepsWholeCharacters() {
            String encoded = java.util.Base64.getMimeEncoder().encodeToString(
                    "Привет, мир! Как дела?".getBytes(StandardCharsets.UTF_8));
            for (int cut = 4; cut < encoded.length(); cut++) {
                String text = plain("base64", "utf-8", encoded.substring(0, cut), true).text();
                assertThat("Привет, мир! Как дела?").as("cut at %s", cut).startsWith(text);
                assertThat(text).doesNotContain("\ufffd");
            }
            assertThat(plain("base64", "utf-8", "SGVs\r\nbG8g*d29y!bGQ=", false).text())
                    .as("junk and line breaks skipped").isEqualTo("Hello world");
        }

        @Test
        void anIncompleteMultibyteCharacterAtTheCutIsDropped() {
            byte[] utf8 = "Zoë".getBytes(StandardCharsets.UTF_8);
            byte[] sjis = "東京".getBytes(Charset.forName("Shift_JIS"));

            assertThat(extract(part("8bit", "utf-8"), java.util.Arrays.copyOf(utf8, utf8.length - 1), true).text())
                    .as("one word and no space: kept, better than nothing").isEqualTo("Zo");
            assertThat(extract(part("8bit", "utf-8"), java.util.Arrays.copyOf(utf8, utf8.length - 1), false).text())
                    .as("not cut: the part really ends in a broken character").isEqualTo("Zo\ufffd");
            assertThat(extract(part("8bit", "Shift_JIS"), java.util.Arrays.copyOf(sjis, 3), false).text())
                    .isEqualTo("東\ufffd");
            byte[] cutSjis = "まず東 ".getBytes(Charset.forName("Shift_JIS"));
            assertThat(extract(part("8bit", "shift_jis"), java.util.Arrays.copyOf(cutSjis, 5), true).text())
                    .doesNotContain("\ufffd");
        }

        @Test
        void charsetAliasesAndLabelsThatPromiseNothing() {
            assertThat(text("utf8", "Grüße".getBytes(StandardCharsets.UTF_8))).isEqualTo("Grüße");
            assertThat(text("latin1", "Grüße".getBytes(StandardCharsets.ISO_8859_1))).isEqualTo("Grüße");
            assertThat(text("ks_c_5601-1987", "회의".getBytes(Charset.forName("x-windows-949")))).isEqualTo("회의");
            assertThat(text("iso-8859-8-i", "שלום".getBytes(Charset.forName("ISO-8859-8")))).isEqualTo("שלום");
            assertThat(text("us-ascii", "Grüße".getBytes(StandardCharsets.UTF_8))).as("UTF-8 mislabelled").isEqualTo("Grüße");
            assertThat(text("x-unknown", new byte[] {(byte) 0x93, 'H', 'i', (byte) 0x94}))
                    .as("8-bit that is no UTF-8: windows-1252").isEqualTo("“Hi”");
            assertThat(text("iso-8859-1", new byte[] {'a', (byte) 0x96, 'b'})).as("C1 bytes as Outlook meant them")
                    .isEqualTo("a–b");
        }

        @Test
        void htmlWithoutAMimeCharsetUsesItsMetaCharset() {
            byte[] html = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">"
                    + "</head><body><p>Привет</p></body></html>").getBytes(Charset.forName("windows-1251"));
            byte[] html5 = "<meta charset='koi8-r'><p>Привет</p>".getBytes(Charset.forName("KOI8-R"));

            assertThat(extract(new TextPart("1", true, "us-ascii", "8bit", false, false, -1), html, false).text())
                    .isEqualTo("Привет");
            assertThat(extract(new TextPart("1", true, "us-ascii", "8bit", false, false, -1), html5, false).text())
                    .isEqualTo("Привет");
            assertThat(extract(new TextPart("1", true, "utf-8", "8bit", false, false, -1), html5, false).text())
                    .as("a MIME charset wins").isNotEqualTo("Привет");
        }

        @Test
        void beyondMaxBytesTheTextCountsAsCut() {
            byte[] huge = ("word ".repeat(PreviewExtractor.MAX_BYTES)).getBytes(StandardCharsets.US_ASCII);

            PreviewText preview = new PreviewExtractor(1 << 20).extract(part("7bit", "utf-8"), huge, 0, huge.length,
                    false, false);

            assertThat(preview.truncated()).isTrue();
            assertThat(preview.text().length()).isLessThan(PreviewExtractor.MAX_BYTES);
        }

        @Test
        void anUnknownCharsetGivesNoTextAndAWarning() {
            PreviewText preview = extract(part("7bit", "x-klingon-8"), "Hello".getBytes(StandardCharsets.US_ASCII), false);

            assertThat(preview.text()).isEmpty();
            assertThat(preview.warnings()).containsExactly("unknown charset \"x-klingon-8\"; no preview");
        }

        @Test
        void bytesAlreadyDecodedByBinaryAreNotDecodedAgain() {
            byte[] bytes = "price=3D5".getBytes(StandardCharsets.US_ASCII);

            assertThat(EXTRACTOR.extract(part("quoted-printable", "utf-8"), bytes, 0, bytes.length, true, false).text())
                    .isEqualTo("price=3D5");
            assertThat(EXTRACTOR.extract(part("quoted-printable", "utf-8"), bytes, 0, bytes.length, false, false).text())
                    .isEqualTo("price=5");
        }

        @Test
        void neverThrowsOnARangeOutsideTheBuffer() {
            assertThat(EXTRACTOR.extract(part("7bit", "utf-8"), null, 0, 0, false, false).warnings()).isNotEmpty();
            assertThat(EXTRACTOR.extract(part("7bit", "utf-8"), new byte[4], 3, 9, false, false).text()).isEmpty();
        }
    }

    @Nested
    class Flowed {
        @Test
        void softLineBreaksJoinAndQuotedFlowedTextIsDropped() {
            TextPart flowed = new TextPart("1", false, "utf-8", "7bit", true, false, -1);
            String body = "This is one \r\nparagraph that \r\n flowed.\r\n\r\n> quoted \r\n> text\r\nEnd.\r\n";

            assertThat(extract(flowed, body.getBytes(StandardCharsets.UTF_8), false).text())
                    .isEqualTo("This is one paragraph that flowed. End.");
        }

        @Test
        void delSpRemovesTheSpaceBeforeTheBreak() {
            TextPart delSp = new TextPart("1", false, "utf-8", "8bit", true, true, -1);

            assertThat(extract(delSp, "日本語の \r\n文章\r\n".getBytes(StandardCharsets.UTF_8), false).text())
                    .isEqualTo("日本語の文章");
        }

        @Test
        void theSignatureSeparatorDoesNotFlow() {
            TextPart flowed = new TextPart("1", false, "utf-8", "7bit", true, false, -1);

            assertThat(extract(flowed, "Thanks \r\nall\r\n-- \r\nBob\r\n".getBytes(StandardCharsets.UTF_8), false).text())
                    .isEqualTo("Thanks all");
        }
    }

    @Nested
    class Html {
        @Test
        void headStyleScriptAndImagesAreDroppedParagraphsAndEntitiesKept() {
            String html = "<html><head><title>T</title><style>p{}</style><script>alert(1)</script></head><body>"
                    + "<p>Dear&nbsp;Anna,</p><p>the price is 5&nbsp;&euro; &amp; <b>free</b> shipping."
                    + "<img src=\"cid:x\" alt=\"logo\"></p><div>Bye</div></body></html>";

            assertThat(html(html)).isEqualTo("Dear Anna, the price is 5 € & free shipping. Bye");
        }

        @Test
        void gmailQuotesAndBlockquotesAreDropped() {
            String html = "<div dir=\"ltr\">Sure!</div><br><div class=\"gmail_quote\"><div class=\"gmail_attr\">"
                    + "On Mon, Anna wrote:<br></div><blockquote class=\"gmail_quote\">Can you?</blockquote></div>";
            String apple = "<div>Fine by me.</div><div><br><blockquote type=\"cite\">On 7 Dec, Anna wrote:"
                    + "<br><div>Lunch?</div></blockquote></div>";

            assertThat(html(html)).isEqualTo("Sure!");
            assertThat(html(apple)).isEqualTo("Fine by me.");
        }

        @Test
        void yahooProtonAndOutlookOnTheWebQuotesAreDropped() {
            assertThat(html("<div>Fine.</div><div class=\"yahoo_quoted\"><div>On Monday, Anna wrote:</div>"
                    + "<div>Old</div></div>")).isEqualTo("Fine.");
            assertThat(html("<div>Sure.</div><div class=\"protonmail_quote\">------- Original Message -------"
                    + "<br>Old</div>")).isEqualTo("Sure.");
            assertThat(html("<div>Ok.</div><div id=\"appendonsend\"></div><hr><div>Old text</div>")).isEqualTo("Ok.");
        }

        @Test
        void outlookReplyHeaderBlockEndsTheText() {
            String html = "<div>Yes.</div><hr style=\"display:inline-block\"><div id=\"divRplyFwdMsg\"><b>From:</b>"
                    + " Anna<br><b>Sent:</b> Monday<br></div><div>Old text</div>";
            String withoutId = "<p>Yes.</p><p><b>From:</b> Anna<br><b>Sent:</b> Monday<br><b>To:</b> Tom</p><p>Old</p>";

            assertThat(html(html)).isEqualTo("Yes.");
            assertThat(html(withoutId)).isEqualTo("Yes.");
        }

        @Test
        void htmlSourceLineBreaksAreSpacesNotLines() {
            assertThat(html("<p>Yes\n> no\nway</p><p>more</p>")).isEqualTo("Yes > no way more");
        }
    }

    @Nested
    class Replies {
        @Test
        void quotedLinesAreDropped() {
            assertThat(plainText("Yes.\n> Do you agree?\n>> Earlier\nAnd thanks.")).isEqualTo("Yes. And thanks.");
        }

        @Test
        void attributionLinesInFourLanguagesAndOverSeveralLines() {
            assertThat(plainText("Ok.\n\nOn Mon, Dec 7, 2026 at 10:00 AM Anna Schmidt <\nanna@example.com> wrote:\n\n"
                    + "> Meet?\n")).isEqualTo("Ok.");
            assertThat(plainText("Gut.\nAm Mo., 7. Dez. 2026 um 10:00 Uhr schrieb Anna <a@b.de>:\n> Wie?"))
                    .isEqualTo("Gut.");
            assertThat(plainText("Bien.\nLe lun. 7 déc. 2026 à 10:00, Anna <a@b.fr> a écrit :\n> Quoi ?"))
                    .isEqualTo("Bien.");
            assertThat(plainText("Vale.\nEl lun, 7 dic 2026 a las 10:00, Anna (<a@b.es>) escribió:\n> ¿Qué?"))
                    .isEqualTo("Vale.");
        }

        @Test
        void attributionLinesOfDutchItalianAndPortugueseMailers() {
            assertThat(plainText("Prima.\nOp ma 7 dec. 2026 om 10:00 schreef Anna <a@b.nl>:\n> Hoe?")).isEqualTo("Prima.");
            assertThat(plainText("Va bene.\nIl giorno lun 7 dic 2026 alle ore 10:00 Anna <a@b.it> ha scritto:\n> Come?"))
                    .isEqualTo("Va bene.");
            assertThat(plainText("Certo.\nEm seg., 7 de dez. de 2026 às 10:00, Anna <a@b.br> escreveu:\n> Como?"))
                    .isEqualTo("Certo.");
            assertThat(plainText("Claro.\nDe: Anna <a@b.es>\nEnviado el: lunes, 7 de diciembre de 2026 10:00\nViejo"))
                    .isEqualTo("Claro.");
        }

        @Test
        void anAttributionWithoutQuoteMarksEndsTheText() {
            assertThat(plainText("Top post.\nOn Mon, Anna wrote:\nthe whole old message, unmarked"))
                    .isEqualTo("Top post.");
        }

        @Test
        void interleavedRepliesKeepTheAnswers() {
            assertThat(plainText("On Mon, Anna wrote:\n> Austria?\n\nYes.\n\n> Switzerland?\n\nNo."))
                    .isEqualTo("Yes. No.");
        }

        @Test
        void aLineThatMerelyStartsLikeAnAttributionIsKept() {
            assertThat(plainText("On Monday we ship.\nEl equipo")).isEqualTo("On Monday we ship. El equipo");
        }

        @Test
        void outlookMarkersEndTheText() {
            assertThat(plainText("Fine.\n-----Original Message-----\nFrom: A\nSent: B\n\nOld")).isEqualTo("Fine.");
            assertThat(plainText("Gut.\n-----Ursprüngliche Nachricht-----\nVon: A")).isEqualTo("Gut.");
            assertThat(plainText("Fine.\n________________________________\nFrom: Anna\nSent: Monday\nTo: Tom\nOld"))
                    .isEqualTo("Fine.");
            assertThat(plainText("Fine.\nFrom: Anna <a@b.com>\nDate: Monday\nSubject: x\nOld")).isEqualTo("Fine.");
            assertThat(plainText("From: here on we agree.\nThanks")).as("From: without Sent: is text")
                    .isEqualTo("From: here on we agree. Thanks");
        }

        @Test
        void aForwardPreviewsTheNoteElseTheForwardedText() {
            String forwarded = "---------- Forwarded message ---------\nFrom: Bob <bob@example.org>\n"
                    + "Date: Fri, Dec 4, 2026 at 9:00 AM\nSubject: Delivery\nTo: Anna <anna@example.com>\n\n"
                    + "The truck comes on the 14th.\n";

            assertThat(plainText("Can you confirm?\n\n" + forwarded)).isEqualTo("Can you confirm?");
            assertThat(plainText(forwarded)).isEqualTo("The truck comes on the 14th.");
            assertThat(plainText("Begin forwarded message:\n\nFrom: Bob\nSubject: Delivery\nDate: 4 Dec\n\nHello"))
                    .isEqualTo("Hello");
        }

        @Test
        void signaturesAndMobileFootersAreDropped() {
            assertThat(plainText("See you.\n-- \nTom\nACME")).isEqualTo("See you.");
            assertThat(plainText("See you.\n\nSent from my iPhone")).isEqualTo("See you.");
            assertThat(plainText("Bis dann.\nVon meinem iPhone gesendet")).isEqualTo("Bis dann.");
            assertThat(plainText("À plus.\nEnvoyé de mon iPhone")).isEqualTo("À plus.");
            assertThat(plainText("Hasta luego.\nEnviado desde mi iPhone")).isEqualTo("Hasta luego.");
            assertThat(plainText("Ok\nGet Outlook for iOS")).isEqualTo("Ok");
        }

        @Test
        void pgpInlineEncryptedHasNoPreviewAndClearSignedLosesItsArmour() {
            PreviewText encrypted = plain("7bit", "us-ascii", "-----BEGIN PGP MESSAGE-----\n\nhQEMA\n-----END PGP MESSAGE-----", false);
            PreviewText signed = plain("7bit", "us-ascii", "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
                    + "Keys rotate.\n- -- dashes\n-----BEGIN PGP SIGNATURE-----\n\niQE\n-----END PGP SIGNATURE-----", false);

            assertThat(encrypted.encrypted()).isTrue();
            assertThat(encrypted.text()).isEmpty();
            assertThat(signed.signed()).isTrue();
            assertThat(signed.text()).isEqualTo("Keys rotate. -- dashes");
        }
    }

    @Nested
    class Length {
        @Test
        void cutOnAWordBoundaryWithTheFlag() {
            PreviewText preview = new PreviewExtractor(20).extract(part("7bit", "utf-8"),
                    "The quick brown fox jumps over".getBytes(StandardCharsets.US_ASCII), 0, 30, false, false);

            assertThat(preview).isEqualTo(new PreviewText("The quick brown fox", true, java.util.List.of()));
        }

        @Test
        void aSurrogatePairIsNeverCut() {
            String emoji = "\ud83d\ude80".repeat(20);
            PreviewText preview = new PreviewExtractor(9).extract(part("8bit", "utf-8"),
                    emoji.getBytes(StandardCharsets.UTF_8), 0, emoji.getBytes(StandardCharsets.UTF_8).length, false, false);

            assertThat(preview.text()).isEqualTo("\ud83d\ude80".repeat(4));
            assertThat(preview.truncated()).isTrue();
        }

        @Test
        void aPartialFetchThatEndsInTheTextIsTruncatedAndDropsItsLastPieceOfAWord() {
            PreviewText preview = plain("7bit", "utf-8", "We will deliver on Thurs", true);

            assertThat(preview).isEqualTo(new PreviewText("We will deliver on", true, java.util.List.of()));
        }

        @Test
        void chineseAndJapaneseHaveNoSpacesSoTheirLastPieceIsKept() {
            PreviewText preview = plain("8bit", "utf-8", "王经理，您好！ 附件是我们下个季度的报价单", true);

            assertThat(preview).isEqualTo(new PreviewText("王经理，您好！ 附件是我们下个季度的报价单", true, java.util.List.of()));
        }

        @Test
        void aPartialFetchThatEndsInAQuoteIsNotTruncated() {
            PreviewText preview = plain("7bit", "utf-8", "Agreed.\n\nOn Mon, Anna wrote:\n> Shall we sign the con", true);

            assertThat(preview).isEqualTo(new PreviewText("Agreed.", false, java.util.List.of()));
        }

        @Test
        void whitespaceOfEveryKindCollapses() {
            assertThat(plainText("a\u00a0\u00a0b\t\tc\r\n\r\n\u200bd\u3000e")).isEqualTo("a b c d e");
        }
    }

    private static TextPart part(String encoding, String charset) {
        return new TextPart("1", false, charset, encoding, false, false, -1);
    }

    private static PreviewText extract(TextPart part, byte[] bytes, boolean cut) {
        return EXTRACTOR.extract(part, bytes, 0, bytes.length, false, cut);
    }

    private static PreviewText plain(String encoding, String charset, String body, boolean cut) {
        return extract(part(encoding, charset), body.getBytes(StandardCharsets.UTF_8), cut);
    }

    private static String text(String charset, byte[] bytes) {
        return extract(part("8bit", charset), bytes, false).text();
    }

    private static String plainText(String body) {
        return plain("8bit", "utf-8", body, false).text();
    }

    private static String html(String html) {
        byte[] b = html.getBytes(StandardCharsets.UTF_8);
        return extract(new TextPart("1", true, "utf-8", "8bit", false, false, b.length), b, false).text();
    }
}
