package dev.imapsync.internal.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.internal.transport.ImapProtocolViolation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ResponseInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The response reader gives Angus exactly what Angus's own reader gives, and stops where that one does not. */
class ImapResponseReaderTest {
    private static final String STREAM = "* OK [CAPABILITY IMAP4rev1] ready\r\n"
            + "* 1 FETCH (UID 7 BODY[HEADER.FIELDS (FROM)] {21}\r\nFrom: a@example.com\r\n)\r\n"
            + "* 2 FETCH (UID 8 BODY[HEADER.FIELDS (FROM)] {0}\r\n)\r\n"
            + "* 3 FETCH (UID 9 BODY[HEADER.FIELDS (FROM SUBJECT)] {5}\r\nab\r\nc BODY[TEXT] {3}\r\nxyz)\r\n"
            + "* OK text that ends in braces {here}\r\n"
            + "* OK a bare \n line feed does not end a line\r\n"
            + "A1 OK done\r\n";

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 64, 100_000})
    void everyResponseIsWhatAngusReadsWhateverTheReadSizes(int chunk) throws IOException {
        List<String> ours = readAll(new ImapResponseReader(chunked(STREAM, chunk)));
        List<String> angus = readAll(new ResponseInputStream(chunked(STREAM, chunk)));

        assertThat(ours).isEqualTo(angus).hasSize(7);
        assertThat(ours.get(1)).endsWith("From: a@example.com\r\n)\r\n");
    }

    @Test
    void aReusedBufferIsFilledFromItsStart() throws IOException {
        ImapResponseReader reader = new ImapResponseReader(chunked(STREAM, 5));
        ByteArray shared = new ByteArray(new byte[4], 0, 4);
        assertThat(text(reader.readResponse(shared))).startsWith("* OK [CAPABILITY");
        assertThat(text(reader.readResponse(shared))).startsWith("* 1 FETCH (UID 7");
        assertThat(shared.getStart()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{4294967295}", "{2147483647}", "{-1}", "{12+}", "{99999999999999999999}", "{67108865}"})
    void aLiteralSizeNoServerMaySendOrOverTheLimitIsAViolation(String announced) {
        ImapResponseReader reader = new ImapResponseReader(chunked("* 1 FETCH (BODY[] " + announced + "\r\nabc", 3));

        assertThatThrownBy(reader::readResponse)
                .isInstanceOf(ImapProtocolViolation.class)
                .hasMessageContaining("literal");
    }

    @Test
    void aLineThatNeverEndsStopsAtTheLimitInsteadOfFillingTheHeap() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };

        assertThatThrownBy(() -> new ImapResponseReader(endless).readResponse())
                .isInstanceOf(ImapProtocolViolation.class)
                .hasMessageContaining("a line of more than " + ImapResponseReader.MAX_LINE + " bytes");
    }

    @Test
    void aConnectionThatEndsInsideALiteralIsADroppedConnection() {
        ImapResponseReader reader = new ImapResponseReader(chunked("* 1 FETCH (BODY[] {10}\r\nabc", 2));

        assertThatThrownBy(reader::readResponse)
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(ImapProtocolViolation.class)
                .hasMessageContaining("Connection dropped by server?")
                .hasMessageContaining("7 bytes of a literal missing");
    }

    @Test
    void whatIsBufferedCountsAsAvailable() throws IOException {
        ImapResponseReader reader = new ImapResponseReader(chunked("* OK a\r\n* OK b\r\n", 100));
        reader.readResponse();
        assertThat(reader.hasBuffered()).isTrue();
        assertThat(reader.available()).isEqualTo(8);
    }

    private static List<String> readAll(ResponseInputStream in) throws IOException {
        List<String> out = new ArrayList<>();
        while (true) {
            try {
                out.add(text(in.readResponse()));
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).startsWith("Connection dropped")) {
                    return out;
                }
                throw e;
            }
        }
    }

    private static String text(ByteArray ba) {
        return new String(ba.getBytes(), ba.getStart(), ba.getCount(), StandardCharsets.ISO_8859_1);
    }

    /** A stream that hands out at most {@code chunk} bytes per read, as a socket may. */
    private static InputStream chunked(String text, int chunk) {
        ByteArrayInputStream all = new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
        return new InputStream() {
            @Override
            public int read() {
                return all.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return all.read(b, off, Math.min(len, chunk));
            }

            @Override
            public int available() {
                return all.available();
            }
        };
    }
}
