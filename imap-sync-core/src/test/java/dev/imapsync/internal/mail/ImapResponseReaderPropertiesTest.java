package dev.imapsync.internal.mail;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.imapsync.internal.mail.ImapResponseReaderLimitsTest.TestProtocol;
import dev.imapsync.internal.transport.ImapProtocolViolation;
import dev.imapsync.testing.Fuzz;
import dev.imapsync.testing.Fuzz.Gen;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import org.eclipse.angus.mail.iap.ParsingException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.junit.jupiter.api.Test;

/**
 * Responses a server could send, made of IMAP's own pieces in any order (parentheses, quotes,
 * escapes, braces, literals, brackets, atoms, numbers), after the start of each response the
 * client parses. Whatever the pieces, the reader and the parsers the client uses on them end in
 * one of three ways: the response is read (and parsed, or refused by the parser with a
 * {@link ParsingException}), or the reader refuses it with an {@link ImapProtocolViolation}.
 * Never an index past the end of the response, a stack overflow or a hang. (Angus's parsers
 * have other slips, such as a NullPointerException on a tagged answer that ends in {@code [};
 * where the client calls them it classifies any such exception as a PROTOCOL_ERROR.)
 */
class ImapResponseReaderPropertiesTest {
    private static final List<String> STARTS = List.of("* LIST ", "* LIST (\\HasNoChildren) \"/\" ",
            "* 1 FETCH (", "* 1 FETCH (UID 7 FLAGS ", "* 1 FETCH (UID 7 BODYSTRUCTURE ", "* 1 FETCH (UID 7 ENVELOPE ",
            "* SEARCH ", "* ESEARCH ", "* STATUS ", "* CAPABILITY ", "* FLAGS ", "* OK [PERMANENTFLAGS ",
            "* OK [CAPABILITY ", "A0 OK [CAPABILITY ", "A0 NO [BADCHARSET ", "* NAMESPACE ", "* ID ");
    private static final List<String> PIECES = List.of("(", "(", ")", ")", "\"", "\\", " ", " ", "{", "}", "[", "]",
            "NIL", "INBOX", "\\Seen", "$Label", "7", "42", "{3}\r\nabc", "{0}\r\n", "\"a(b)\"", "\"q\\\"\"", "+",
            "*", "\r\n", "UID", "BODY[HEADER]", "FLAGS", "\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1");

    @Test
    void anyMixOfImapsPiecesIsReadAndParsedOrRefusedNeverAnythingElse() {
        Fuzz.check("ImapResponseReaderPropertiesTest#anyMixOfImapsPiecesIsReadAndParsedOrRefusedNeverAnythingElse",
                g -> {
                    String response = g.draw("response", ImapResponseReaderPropertiesTest::response);
                    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> readAndParse(response));
                });
    }

    private static String response(Gen g) {
        StringBuilder text = new StringBuilder(STARTS.get(g.nextInt(STARTS.size())));
        int pieces = g.size(0, 60);
        for (int i = 0; i < pieces; i++) {
            text.append(PIECES.get(g.nextInt(PIECES.size())));
        }
        if (g.nextInt(8) == 0) {
            text.append("(".repeat(g.between(100, 300)));
        }
        return text.toString();
    }

    /** Reads the response and the tagged answer after it; parses what was read as the client does. */
    private static void readAndParse(String response) throws Exception {
        byte[] bytes = (response + "\r\nA1 OK done\r\n").getBytes(ISO_8859_1);
        TestProtocol protocol = new TestProtocol(new ImapResponseReader(new ByteArrayInputStream(bytes)));
        while (true) {
            Response r;
            try {
                r = protocol.readResponse();
            } catch (ImapProtocolViolation refused) {
                assertThat(refused.getMessage()).startsWith("the server ");
                return;
            } catch (ParsingException angusRefused) {
                continue; // FETCH items are parsed as they are read; Angus skips such a response
            } catch (java.io.IOException end) {
                assertThat(end.getMessage()).contains("Connection dropped"); // a literal that ate the rest
                return;
            }
            if (r.isTagged() && r.toString().equals("A1 OK done")) {
                return;
            }
            parse(protocol, r);
        }
    }

    private static void parse(TestProtocol protocol, Response r) {
        try {
            parseAsTheClientDoes(protocol, r);
        } catch (ParsingException angusRefused) {
            // the parser's own refusal: the client classifies it
        } catch (IndexOutOfBoundsException pastTheEnd) {
            throw new AssertionError("a parser went past the end of what the reader handed over", pastTheEnd);
        } catch (RuntimeException angusSlip) {
            // Angus's parsers have slips of their own (a NullPointerException on a tagged answer that
            // ends in '['); where the client calls them, such an exception is a PROTOCOL_ERROR
        }
    }

    private static void parseAsTheClientDoes(TestProtocol protocol, Response r) throws ParsingException {
        {
            if (r instanceof IMAPResponse ir && ir.keyEquals("LIST")) {
                MailboxConnection.parseList(ir);
            } else if (r instanceof IMAPResponse ir && ir.keyEquals("FLAGS")) {
                new FLAGS(ir);
            } else if (r instanceof IMAPResponse ir && ir.keyEquals("OK") && !r.isTagged()) {
                // as EXAMINE's answers are read (Angus's MailboxInfo)
                r.skipSpaces();
                if (r.readByte() == '[' && "PERMANENTFLAGS".equalsIgnoreCase(r.readAtom())) {
                    new FLAGS(ir);
                }
            } else if (r instanceof IMAPResponse ir && ir.keyEquals("CAPABILITY")) {
                protocol.handleCapabilityResponse(new Response[] {r});
            } else if (r.isTagged()) {
                protocol.capabilitiesFrom(r);
            }
            // SEARCH, ESEARCH and FETCH the sync parses with FolderReader's own bounded parser;
            // STATUS, NAMESPACE and ID arrive only unasked, and nothing parses them
        }
    }
}
