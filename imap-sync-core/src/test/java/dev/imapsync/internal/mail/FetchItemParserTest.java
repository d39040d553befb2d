package dev.imapsync.internal.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.eclipse.angus.mail.iap.ParsingException;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The items of one FETCH response of a header fetch, as servers really send them and as hostile ones might. */
class FetchItemParserTest {
    private static final String HEADERS = "From: Alice <alice@example.com>\r\nSubject: Hello\r\n\r\n";
    private static final String DATE = "17-Jul-1996 02:44:25 -0700";

    private static FetchedMessage parse(String response) throws Exception {
        return FetchItemParser.parse(new IMAPResponse(response + "\r\n"));
    }

    private static String headers(FetchedMessage m) {
        return new String(m.headers(), m.headerOffset(), m.headerLength(), StandardCharsets.US_ASCII);
    }

    private static String section(String text) {
        return "{" + text.length() + "}\r\n" + text;
    }

    @Test
    void everyItemOfAHeaderFetchIsRead() throws Exception {
        FetchedMessage m = parse("* 12 FETCH (UID 42 INTERNALDATE \"" + DATE + "\" RFC822.SIZE 4286"
                + " BODY[HEADER.FIELDS (FROM SUBJECT)] " + section(HEADERS) + ")");

        assertThat(m.uid()).isEqualTo(42);
        assertThat(m.internalDateMillis())
                .isEqualTo(OffsetDateTime.parse("1996-07-17T02:44:25-07:00").toInstant().toEpochMilli());
        assertThat(m.size()).isEqualTo(4286);
        assertThat(headers(m)).isEqualTo(HEADERS);
        assertThat(m.gmailMessageId()).isEqualTo(-1);
        assertThat(m.gmailThreadId()).isEqualTo(-1);
    }

    @Test
    void gmailIdsAreReadInAnyOrderAndNamesInAnyCase() throws Exception {
        FetchedMessage m = parse("* 1 FETCH (x-gm-thrid 1278455344230334865 body[HEADER.FIELDS (FROM)] "
                + section(HEADERS) + " X-GM-MSGID 1278455344230334866 uid 7 rfc822.size 10)");

        assertThat(m.uid()).isEqualTo(7);
        assertThat(m.size()).isEqualTo(10);
        assertThat(m.gmailMessageId()).isEqualTo(1278455344230334866L);
        assertThat(m.gmailThreadId()).isEqualTo(1278455344230334865L);
        assertThat(headers(m)).isEqualTo(HEADERS);
        assertThat(m.internalDateMillis()).isEqualTo(-1);
    }

    @Test
    void theThreadIdOfObjectIdServersIsReadAndNilIsNone() throws Exception {
        FetchedMessage cyrus = parse("* 3 FETCH (UID 9 THREADID (T64b478a75b7ea9bd) BODY[HEADER.FIELDS (FROM)] "
                + section(HEADERS) + ")");
        FetchedMessage dovecot = parse("* 3 FETCH (UID 9 THREADID NIL BODY[HEADER.FIELDS (FROM)] "
                + section(HEADERS) + ")");

        assertThat(cyrus.objectThreadId()).isEqualTo("T64b478a75b7ea9bd");
        assertThat(headers(cyrus)).isEqualTo(HEADERS);
        assertThat(dovecot.objectThreadId()).isNull();
        assertThat(headers(dovecot)).isEqualTo(HEADERS);
    }

    @Test
    void itemsNotAskedForAreSkippedWhateverTheirShape() throws Exception {
        FetchedMessage m = parse("* 3 FETCH (FLAGS (\\Seen \\Flagged) MODSEQ (624140003) UID 9"
                + " BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"a)b\") NIL NIL \"7bit\" 12 1) \"mixed\")"
                + " ENVELOPE {3}\r\n(((" + " X-UNKNOWN atom BODY[HEADER.FIELDS (FROM)]<0> " + section(HEADERS) + ")");

        assertThat(m.uid()).isEqualTo(9);
        assertThat(headers(m)).isEqualTo(HEADERS);
    }

    @Test
    void anEmptyOrNilHeaderSectionIsAMessageWithoutHeaders() throws Exception {
        FetchedMessage empty = parse("* 1 FETCH (UID 5 BODY[HEADER.FIELDS (FROM)] {0}\r\n)");
        FetchedMessage nil = parse("* 1 FETCH (UID 6 BODY[HEADER.FIELDS (FROM)] NIL)");

        assertThat(empty.headerLength()).isZero();
        assertThat(nil.headerLength()).isZero();
        assertThat(nil.headers()).isEmpty();
    }

    @Test
    void aResponseWithoutHeaderSectionIsAFlagUpdate() throws Exception {
        FetchedMessage m = parse("* 4 FETCH (UID 11 FLAGS (\\Seen))");

        assertThat(m.uid()).isEqualTo(11);
        assertThat(m.headerLength()).isEqualTo(-1);
    }

    @Test
    void aResponseWithoutUidIsNotAboutAMessageOfTheRange() throws Exception {
        assertThat(parse("* 4 FETCH (FLAGS (\\Seen) MODSEQ (12))")).isNull();
    }

    @Test
    void anUnreadableInternalDateIsMissingNotFatal() throws Exception {
        assertThat(parse("* 1 FETCH (UID 5 INTERNALDATE \"yesterday\")").internalDateMillis()).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "4294967296", "-3"})
    void aUidOutsideTheRangeOfUidsIsRefused(String uid) {
        assertThatThrownBy(() -> parse("* 1 FETCH (UID " + uid + " BODY[HEADER] {0}\r\n)"))
                .isInstanceOf(ParsingException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "* 1 FETCH UID 5",
        "* 1 FETCH (UID 5 FLAGS (\\Seen",
        "* 1 FETCH (UID 5 BODY[HEADER.FIELDS (FROM)",
        "* 1 FETCH (UID 5 ] 7)",
    })
    void aCutOrNamelessResponseIsUnreadable(String response) {
        assertThatThrownBy(() -> parse(response)).isInstanceOf(ParsingException.class);
    }

    @Test
    void theHighestUidIsAccepted() throws Exception {
        assertThat(parse("* 1 FETCH (UID 4294967295)").uid()).isEqualTo(4_294_967_295L);
    }
}
