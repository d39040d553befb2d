package dev.imapsync.internal.mail;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.imapsync.internal.transport.ImapProtocolViolation;
import jakarta.mail.Flags;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.eclipse.angus.mail.iap.ParsingException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.iap.ResponseInputStream;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.BODYSTRUCTURE;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.Status;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every response the client parses (LIST, FETCH, SEARCH, ESEARCH, STATUS, CAPABILITY, and
 * status responses with codes, untagged and tagged) on both sides of every limit of the
 * response reader: parentheses nested just below, at, just above and far above
 * {@link ImapResponseReader#MAX_NESTING}; a line, a literal and a response of that many bytes
 * around the line and response limits. Each response is read by the reader and parsed by what
 * the client uses on it (Angus's protocol and parsers, our LIST parser).
 *
 * <p>The property: up to a limit, the response is read and parsed to what was sent, and the
 * stream stays in step (the tagged answer after it is read as such); past it, the reader refuses
 * it with an {@link ImapProtocolViolation} naming the limit, having taken from the connection
 * at most the limit and one buffer, however much the server had to send. Nothing ends in any
 * other exception, a stack overflow or a hang.
 */
class ImapResponseReaderLimitsTest {
    /** Small limits for lines and responses, so that going past them takes kilobytes, not megabytes. */
    private static final int LINE = 2048;
    private static final int RESPONSE = 16384;
    private static final int READ_BUFFER = 32 * 1024;
    private static final int NESTING = ImapResponseReader.MAX_NESTING;

    enum Limit { NESTING, LINE, LITERAL, RESPONSE }

    enum Point {
        BELOW(-1), AT(0), ABOVE(1), FAR_ABOVE(Integer.MAX_VALUE);

        final int offset;

        Point(int offset) {
            this.offset = offset;
        }

        boolean refused() {
            return offset > 0;
        }
    }

    /** A response type: how to make it nested, long or literal-carrying, and how the client reads it. */
    enum Kind {
        LIST {
            @Override
            String nested(int depth) {
                return "* LIST (\\HasNoChildren) \"/\" INBOX " + nest(depth - 1, "\"CHILDINFO\" (\"SUBSCRIBED\")");
            }

            @Override
            String line(String pad) {
                return "* LIST (\\HasNoChildren) \"/\" \"INBOX/" + pad + "\"";
            }

            @Override
            String[] literal() {
                return new String[] {"* LIST (\\HasNoChildren) \"/\" ", "", ""};
            }

            @Override
            void check(TestProtocol p, Response r, String sent) throws ParsingException {
                ListedFolder folder = MailboxConnection.parseList((IMAPResponse) r);
                assertThat(folder.attributes()).containsExactly("\\HasNoChildren");
                assertThat(folder.rawName()).isEqualTo(mailbox(sent));
            }
        },
        FETCH {
            @Override
            String nested(int depth) {
                return "* 1 FETCH (UID 7 BODYSTRUCTURE " + bodyStructure(depth - 1) + ")";
            }

            @Override
            String line(String pad) {
                return "* 1 FETCH (UID 7 FLAGS (\\Seen $" + pad + "))";
            }

            @Override
            String[] literal() {
                return new String[] {"* 1 FETCH (UID 7 BODY[HEADER] ", ")", ""};
            }

            @Override
            void check(TestProtocol p, Response r, String sent) {
                FetchResponse fetch = (FetchResponse) r;
                assertThat(fetch.getItem(UID.class).uid).isEqualTo(7);
                if (sent.contains("BODYSTRUCTURE")) {
                    assertThat(fetch.getItem(BODYSTRUCTURE.class)).isNotNull();
                } else if (sent.contains("FLAGS")) {
                    assertThat(((Flags) fetch.getItem(FLAGS.class)).getUserFlags()).singleElement().asString()
                            .isEqualTo(between(sent, "\\Seen ", "))"));
                } else {
                    assertThat(fetch.getItem(BODY.class).getByteArray().getCount())
                            .isEqualTo(afterLiteral(sent).length());
                }
            }
        },
        SEARCH {
            @Override
            String nested(int depth) {
                return "* SEARCH 1 2 3 " + nest(depth, "MODSEQ 5");
            }

            @Override
            String line(String pad) {
                // UIDs of one, then two digits, as many as the pad has room for
                StringBuilder uids = new StringBuilder("* SEARCH 1 2 3");
                int left = pad.length();
                if (left % 2 == 1) {
                    uids.append(" 12");
                    left -= 3;
                }
                uids.append(" 9".repeat(left / 2));
                return uids.toString();
            }

            @Override
            void check(TestProtocol p, Response r, String sent) {
                List<Integer> uids = new ArrayList<>();
                for (int n = r.readNumber(); n >= 0; n = r.readNumber()) {
                    uids.add(n);
                }
                assertThat(uids).startsWith(1, 2, 3);
                if (!sent.contains("MODSEQ")) {
                    assertThat(uids).hasSize(sent.split(" ").length - 2);
                }
            }
        },
        ESEARCH {
            @Override
            String nested(int depth) {
                return "* ESEARCH " + nest(depth, "TAG \"A1\"") + " UID MIN 1 COUNT 3";
            }

            @Override
            String line(String pad) {
                return "* ESEARCH (TAG \"A1\") UID COUNT 3 ALL 1:" + pad.replace('x', '9');
            }

            @Override
            String[] literal() {
                return new String[] {"* ESEARCH (TAG ", ") UID MIN 1 COUNT 3", ""};
            }

            @Override
            void check(TestProtocol p, Response r, String sent) {
                assertThat(((IMAPResponse) r).keyEquals("ESEARCH")).isTrue();
                assertThat(r.toString()).isEqualTo(sent.substring(0, sent.length() - 2));
            }
        },
        STATUS {
            @Override
            String nested(int depth) {
                return "* STATUS INBOX (MESSAGES 3 UIDNEXT 8) " + nest(depth, "X-TRAILING");
            }

            @Override
            String line(String pad) {
                return "* STATUS \"INBOX/" + pad + "\" (MESSAGES 3 UIDNEXT 8)";
            }

            @Override
            String[] literal() {
                return new String[] {"* STATUS ", "", " (MESSAGES 3 UIDNEXT 8)"};
            }

            @Override
            void check(TestProtocol p, Response r, String sent) throws ParsingException {
                Status status = new Status(r);
                assertThat(status.total).isEqualTo(3);
                assertThat(status.uidnext).isEqualTo(8);
                assertThat(status.mbox).isEqualTo(mailbox(sent));
            }
        },
        CAPABILITY {
            @Override
            String nested(int depth) {
                return "* CAPABILITY IMAP4rev1 IDLE " + nest(depth, "X") + " SPECIAL-USE";
            }

            @Override
            String line(String pad) {
                return "* CAPABILITY IMAP4rev1 IDLE SPECIAL-USE X-" + pad;
            }

            @Override
            void check(TestProtocol p, Response r, String sent) {
                p.handleCapabilityResponse(new Response[] {r});
                assertThat(p.hasCapability("IDLE")).isTrue();
                assertThat(p.hasCapability("IMAP4rev1")).isTrue();
            }
        },
        /** An untagged status response whose code holds a list, as EXAMINE's answers do. */
        UNTAGGED_CODE {
            @Override
            String nested(int depth) {
                return "* OK [PERMANENTFLAGS (\\Seen " + nest(depth - 1, "$X") + ")] (text: anything goes";
            }

            @Override
            String line(String pad) {
                return "* OK [PERMANENTFLAGS (\\Seen $" + pad + ")] Limited";
            }

            @Override
            void check(TestProtocol p, Response r, String sent) throws ParsingException {
                assertThat(r.isOK()).isTrue();
                r.skipSpaces();
                assertThat(r.readByte()).isEqualTo((byte) '[');
                assertThat(r.readAtom()).isEqualTo("PERMANENTFLAGS");
                assertThat(new FLAGS((IMAPResponse) r).contains(Flags.Flag.SEEN)).isTrue();
            }
        },
        /** A tagged answer with a code, here the capabilities after a login. */
        TAGGED_CODE {
            @Override
            String nested(int depth) {
                return "A0 OK [CAPABILITY IMAP4rev1 IDLE " + nest(depth, "X") + "] Logged in :-( (really";
            }

            @Override
            String line(String pad) {
                return "A0 OK [CAPABILITY IMAP4rev1 IDLE X-" + pad + "] Logged in";
            }

            @Override
            void check(TestProtocol p, Response r, String sent) {
                assertThat(r.isTagged() && r.isOK()).isTrue();
                p.capabilitiesFrom(r);
                assertThat(p.hasCapability("IDLE")).isTrue();
            }
        };

        /** The response, without CRLF, with parentheses nested exactly {@code depth} deep. */
        abstract String nested(int depth);

        /** The response, without CRLF, with {@code pad} (letters) somewhere it can be long. */
        abstract String line(String pad);

        /**
         * Where a literal may go: {text before the literal's announcement, after its bytes on
         * the same line, at the end}; null where the grammar has none.
         */
        String[] literal() {
            return null;
        }

        /** Parses the response as the client does and checks that it is what was sent (with CRLF). */
        abstract void check(TestProtocol p, Response r, String sent) throws ParsingException;
    }

    record Case(Kind kind, Limit limit, Point point) {
        @Override
        public String toString() {
            return kind + " " + limit + " " + point;
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (Limit limit : Limit.values()) {
                if (limit == Limit.LITERAL && kind.literal() == null || limit == Limit.RESPONSE && kind != Kind.FETCH) {
                    continue;
                }
                for (Point point : Point.values()) {
                    cases.add(new Case(kind, limit, point));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void upToEachLimitTheResponseIsReadAsSentAndPastItItIsRefusedWithinBoundedMemory(Case c) {
        Input input = input(c);
        CountingStream source = new CountingStream(input.stream);
        ImapResponseReader reader = c.limit == Limit.NESTING ? new ImapResponseReader(source)
                : new ImapResponseReader(source, LINE, RESPONSE, NESTING);

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            TestProtocol protocol = new TestProtocol(reader);
            try {
                Response response = protocol.readResponse();
                if (c.point.refused()) {
                    fail("read although past the limit: " + abbreviated(response.toString()));
                }
                c.kind.check(protocol, response, input.sent);
                Response done = protocol.readResponse();
                assertThat(done.isTagged() && done.toString().equals("A1 OK done")).as(done.toString()).isTrue();
            } catch (ImapProtocolViolation refused) {
                if (!c.point.refused()) {
                    throw new AssertionError("refused below the limit", refused);
                }
                assertThat(refused.getMessage()).contains(input.limitWords);
                assertThat(source.count).as("bytes taken from the connection")
                        .isLessThanOrEqualTo(input.limitBytes + READ_BUFFER);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "* LIST (\\HasNoChildren \"/\" INBOX",
        "* LIST ((\\HasNoChildren) \"/\" INBOX (\"CHILDINFO\" (",
        "* 1 FETCH (UID 7 FLAGS (\\Seen",
        "* 1 FETCH (UID 7 FLAGS (\\Seen \"(\"",
        "* STATUS INBOX (MESSAGES 3",
        "* OK [PERMANENTFLAGS (\\Seen] text",
        "* OK [PERMANENTFLAGS (\\Seen",
        "A0 NO [BADCHARSET (UTF-8] charset",
    })
    void aParenthesisThatNothingAfterItClosesIsRefusedBeforeAngusLooksForIt(String response) {
        assertRefused(response, "a parenthesis that nothing after it closes");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "* LIST () \"/\" {abc",
        "* LIST () \"/\" {999999}x",
        "* STATUS {5}INBOX (MESSAGES 3)",
        "* 1 FETCH (UID 7 BODY[] {3}abc)",
        "* OK [CAPABILITY IMAP4rev1 {] text",
    })
    void aBraceThatAnnouncesNoLiteralIsRefused(String response) {
        assertRefused(response, "'{' that announces no literal");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "* LIST () \"/\" \"a(b{c\\\"d)\"",
        "* OK text with (parentheses and {braces never closed",
        "* BYE going away :-(",
        "* PREAUTH [CAPABILITY IMAP4rev1] welcome (back",
        "A0 NO [ALERT] quota exceeded (see {url}",
        "A0 BAD command unknown: ((((((",
        "+ {not a literal (",
        "* 3 FETCH (UID 3 FLAGS (\\Seen)))",
        "* LIST ((((\\HasNoChildren) \"/\" INBOX",
        "* 3 FETCH (UID 3 X-GM-LABELS (\"a\"b (c\"))",
        "* 1 FETCH (UID 7 BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)",
        "* OK [PERMANENTFLAGS (\\Seen] text)",
        "* OK [PERMANENTFLAGS (\\Seen \")\"] text",
    })
    void textQuotedStringsAndParenthesesTheParsersCanWalkAreHandedOverAsSent(String response) throws Exception {
        ImapResponseReader reader = new ImapResponseReader(stream(response + "\r\nA1 OK done\r\n"));

        // what Angus then makes of a malformed item is its ParsingException, which skips that response
        assertThat(text(reader.readResponse())).isEqualTo(response + "\r\n");
        assertThat(text(reader.readResponse())).isEqualTo("A1 OK done\r\n");
    }

    @org.junit.jupiter.api.Test
    void aParserThatLostItsPlaceInsideAQuotedStringStopsAtTheEndOfTheResponse() throws Exception {
        // the parentheses are quoted, so the reader lets them through; a parser that starts inside
        // the quotes (Angus's are quote-blind) finds the ')' and '}' the reader put past the end
        TestProtocol protocol = new TestProtocol(new ImapResponseReader(stream("* FLAGS \"(( {9\r\n"
                + "* LIST () \"/\" \"{12\"\r\nA1 OK done\r\n")));

        IMAPResponse flags = (IMAPResponse) protocol.readResponse();
        flags.skipSpaces();
        flags.readByte(); // the opening quote
        assertThat(new FLAGS(flags).getUserFlags()).isNotEmpty();
        IMAPResponse list = (IMAPResponse) protocol.readResponse();
        list.readSimpleList();
        list.readAtomString();
        list.skipSpaces();
        list.readByte(); // into the quoted name
        assertThat(list.readAtomString()).isNull();
        assertThat(protocol.readResponse().toString()).isEqualTo("A1 OK done");
    }

    private static void assertRefused(String response, String words) {
        TestProtocol protocol;
        try {
            protocol = new TestProtocol(new ImapResponseReader(stream(response + "\r\nA1 OK done\r\n")));
            Response read = protocol.readResponse();
            fail("read: " + read);
        } catch (ImapProtocolViolation e) {
            assertThat(e.getMessage()).contains(words);
        } catch (IOException | org.eclipse.angus.mail.iap.ProtocolException e) {
            throw new AssertionError("not refused as a violation", e);
        }
    }

    // ---------------------------------------------------------------- inputs

    /** What the server sends, what the case sent up to the tagged answer, and the limit in words and bytes. */
    private record Input(InputStream stream, String sent, String limitWords, long limitBytes) {
    }

    private static Input input(Case c) {
        int offset = c.point.offset;
        boolean far = c.point == Point.FAR_ABOVE;
        switch (c.limit) {
            case NESTING: {
                String words = "nested more than " + NESTING + " parentheses deep";
                long bytes = ImapResponseReader.MAX_LINE;
                if (far) {
                    // the finding: a LIST answer 200,000 parentheses deep, never closed
                    String sent = c.kind.nested(2).replaceFirst("\\(", "(".repeat(200_000)) + "\r\n";
                    return new Input(stream(sent), sent, words, bytes);
                }
                String sent = c.kind.nested(NESTING + offset) + "\r\n";
                return new Input(stream(sent + "A1 OK done\r\n"), sent, words, bytes);
            }
            case LINE: {
                String words = "a line of more than " + LINE + " bytes";
                if (far) {
                    String start = c.kind.line("");
                    return new Input(endless(start.substring(0, start.length() - 2), "x"), "", words, LINE);
                }
                String sent = padded(c.kind, LINE + offset);
                return new Input(stream(sent + "A1 OK done\r\n"), sent, words, LINE);
            }
            case LITERAL: {
                String[] at = c.kind.literal();
                String words = String.valueOf(RESPONSE);
                if (far) {
                    return new Input(endless(at[0] + "{2147483647}\r\n", "x"), "", words, RESPONSE);
                }
                String sent = withLiteral(at, RESPONSE + offset);
                return new Input(stream(sent + "A1 OK done\r\n"), sent, words, RESPONSE);
            }
            case RESPONSE: {
                // lines each far below the line limit, joined by empty literals into one response
                String words = "a response of more than " + RESPONSE + " bytes";
                String start = "* 1 FETCH (UID 7 BODY[HEADER] {0}\r\n";
                String unit = " BODY[1] {0}\r\n";
                if (far) {
                    return new Input(endless(start, unit), "", words, RESPONSE);
                }
                int total = RESPONSE + offset;
                String end = ")\r\n";
                int units = (total - start.length() - end.length()) / unit.length();
                int rest = total - start.length() - end.length() - units * unit.length();
                String sent = start + unit.repeat(units) + " ".repeat(rest) + end;
                assertThat(sent).hasSize(total);
                return new Input(stream(sent + "A1 OK done\r\n"), sent, words, RESPONSE);
            }
            default:
                throw new IllegalArgumentException(c.toString());
        }
    }

    /** The kind's long response with CRLF, exactly {@code bytes} long. */
    private static String padded(Kind kind, int bytes) {
        int base = kind.line("").length() + 2;
        String sent = kind.line("x".repeat(bytes - base)) + "\r\n";
        assertThat(sent).hasSize(bytes);
        return sent;
    }

    /** A response with one literal, exactly {@code bytes} long with its CRLFs. */
    private static String withLiteral(String[] at, int bytes) {
        String outside = at[0] + at[1] + at[2] + "{}\r\n" + "\r\n";
        int literal = bytes - outside.length();
        for (int digits = 1; digits < 7; digits++) {
            int n = literal - digits;
            if (String.valueOf(n).length() == digits) {
                String sent = at[0] + "{" + n + "}\r\n" + "a".repeat(n) + at[1] + at[2] + "\r\n";
                assertThat(sent).hasSize(bytes);
                return sent;
            }
        }
        throw new IllegalStateException("no literal fits " + bytes + " bytes");
    }

    /** {@code depth} parentheses around {@code inner}. */
    private static String nest(int depth, String inner) {
        return "(".repeat(depth) + inner + ")".repeat(depth);
    }

    /** A BODYSTRUCTURE {@code depth} parentheses deep: multiparts of one part each, around a text part. */
    private static String bodyStructure(int depth) {
        String body = "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)";
        for (int level = 1; level < depth; level++) {
            body = "(" + body + " \"mixed\")";
        }
        return body;
    }

    /** The text between {@code from} and {@code to} (or the end of the line) in {@code sent}. */
    private static String between(String sent, String from, String to) {
        int start = sent.indexOf(from) + from.length();
        int end = to == null ? sent.indexOf("\r\n") : sent.indexOf(to, start);
        return sent.substring(start, end);
    }

    /** The mailbox name LIST or STATUS sent: a literal's bytes, a long quoted name, or INBOX. */
    private static String mailbox(String sent) {
        if (sent.contains("{")) {
            return afterLiteral(sent);
        }
        return sent.contains("\"INBOX/") ? "INBOX/" + between(sent, "\"INBOX/", "\"") : "INBOX";
    }

    /** The bytes of the literal in {@code sent}. */
    private static String afterLiteral(String sent) {
        int open = sent.indexOf('{');
        int n = Integer.parseInt(sent.substring(open + 1, sent.indexOf('}', open)));
        int start = sent.indexOf("\r\n", open) + 2;
        return sent.substring(start, start + n);
    }

    private static String text(org.eclipse.angus.mail.iap.ByteArray ba) {
        return new String(ba.getBytes(), ba.getStart(), ba.getCount(), ISO_8859_1);
    }

    private static String abbreviated(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }

    private static InputStream stream(String text) {
        byte[] bytes = text.getBytes(ISO_8859_1);
        return new java.io.ByteArrayInputStream(bytes);
    }

    /** {@code start}, then {@code unit} over and over, for ever: a server with no end to what it sends. */
    private static InputStream endless(String start, String unit) {
        byte[] first = start.getBytes(ISO_8859_1);
        byte[] repeated = unit.getBytes(ISO_8859_1);
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                byte b = position < first.length ? first[(int) position]
                        : repeated[(int) ((position - first.length) % repeated.length)];
                position++;
                return b & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                for (int i = 0; i < len; i++) {
                    b[off + i] = (byte) read();
                }
                return len;
            }
        };
    }

    /** Counts what the reader took from the connection. */
    private static final class CountingStream extends InputStream {
        private final InputStream in;
        long count;

        CountingStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }
    }

    /** Angus's IMAP protocol over a stream, reading through the reader as {@link BoundedImapProtocol} does. */
    static final class TestProtocol extends IMAPProtocol {
        private final ImapResponseReader reader;

        TestProtocol(ImapResponseReader reader) throws IOException {
            super(InputStream.nullInputStream(), new PrintStream(OutputStream.nullOutputStream()), new Properties(),
                    false);
            this.reader = reader;
        }

        @Override
        protected ResponseInputStream getInputStream() {
            return reader;
        }

        /** The capabilities of a response code, as Angus takes them from a login's tagged OK. */
        void capabilitiesFrom(Response r) {
            setCapabilities(r);
        }
    }
}
