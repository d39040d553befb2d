package dev.imapsync.internal.transport;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.FailureKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The framing guard on its own: it passes every byte through unchanged, follows literals as
 * Angus does (so that literal bytes never count as a line, however the reads split them), and
 * fails with a PROTOCOL_ERROR naming the limit before a line, a literal or a response over
 * its limit reaches Angus.
 */
class FramingGuardTest {
    private static final int LINE = 64;
    private static final long LITERAL = 1000;

    @Test
    void responsesWithinTheLimitsPassUnchangedWhateverTheReadSizes() throws IOException {
        // Literals whose bytes look like lines, CRLFs and announcements, split at random places.
        String literal = "x".repeat(200) + "\r\n* 9 FETCH {99999999}\r\n" + "y".repeat(300);
        String response = "* 1 FETCH (UID 1 BODY[HEADER] {" + literal.length() + "}\r\n" + literal + ")\r\n"
                + "* 2 FETCH (UID 2 BODY[HEADER] {0}\r\n)\r\n"
                + "* 3 FETCH (UID 3 X {5+}\r\nabcde)\r\n"
                + "A1 OK done\r\n";
        byte[] bytes = response.getBytes(ISO_8859_1);
        Random random = new Random(7);
        for (int run = 0; run < 500; run++) {
            assertThat(readAll(new FramingGuard(new Chunked(bytes, random), LINE, LITERAL), random))
                    .isEqualTo(bytes);
        }
    }

    @Test
    void aLineOverTheLimitFailsBeforeItIsHandedOver() {
        byte[] line = ("* OK " + "a".repeat(LINE)).getBytes(ISO_8859_1);
        assertThatThrownBy(() -> readAll(new FramingGuard(new ByteArrayInputStream(line), LINE, LITERAL), new Random()))
                .isInstanceOf(IOException.class)
                .hasMessage("the server sent a response line longer than 64 bytes; the connection was closed to"
                        + " keep memory bounded")
                .satisfies(e -> assertThat(FailureClassifier.classify(e, "fetching").kind())
                        .isEqualTo(FailureKind.PROTOCOL_ERROR));
    }

    @Test
    void bareLineFeedsDoNotEndALineForAngusNorForTheGuard() {
        byte[] lines = "* OK a\n".repeat(20).getBytes(ISO_8859_1);
        assertThatThrownBy(() -> readAll(new FramingGuard(new ByteArrayInputStream(lines), LINE, LITERAL), new Random()))
                .hasMessageStartingWith("the server sent a response line longer than 64 bytes");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"4294967295", "2147483647", "1001", "99999999999999999999999999"})
    void aLiteralOverTheLimitFailsWhenAnnounced(String size) {
        byte[] announcement = ("* 1 FETCH (BODY[] {" + size + "}\r\nabc").getBytes(ISO_8859_1);
        assertThatThrownBy(() -> readAll(new FramingGuard(new ByteArrayInputStream(announcement), LINE, LITERAL),
                new Random()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("the server announced a literal of ")
                .hasMessageContaining("bytes, more than the limit of 1000 bytes");
    }

    @Test
    void aNegativeLiteralFails() {
        byte[] announcement = "* 1 FETCH (BODY[] {-1}\r\nabc".getBytes(ISO_8859_1);
        assertThatThrownBy(() -> readAll(new FramingGuard(new ByteArrayInputStream(announcement), LINE, LITERAL),
                new Random()))
                .hasMessage("the server announced a literal of -1 bytes");
    }

    @Test
    void manyLiteralsInOneResponseAreBoundedTogether() {
        // Angus keeps a whole response in memory: {0} literals and small ones must not add up unbounded.
        String part = "X {900}\r\n" + "z".repeat(900);
        byte[] response = ("* 1 FETCH (" + part + part + ")\r\n").getBytes(ISO_8859_1);
        assertThatThrownBy(() -> readAll(new FramingGuard(new ByteArrayInputStream(response), LINE, LITERAL),
                new Random()))
                .hasMessage("the server sent a response larger than 1064 bytes; the connection was closed to keep"
                        + " memory bounded");
    }

    @Test
    void lineByLineHandsOverNothingPastTheLineEnd() throws IOException {
        ByteArrayInputStream socket = new ByteArrayInputStream("A1 OK Begin TLS\r\n* CAPABILITY X\r\n"
                .getBytes(ISO_8859_1));
        FramingGuard guard = new FramingGuard(socket, LINE, LITERAL);
        guard.lineByLine(true);
        byte[] buffer = new byte[8192];
        int n = guard.read(buffer, 0, buffer.length);
        assertThat(new String(buffer, 0, n, ISO_8859_1)).isEqualTo("A1 OK Begin TLS\r\n");
        assertThat(socket.available()).as("the injected line is still in the socket").isEqualTo(16);
    }

    private static byte[] readAll(InputStream in, Random random) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[97];
        while (true) {
            int n = random.nextInt(8) == 0 ? oneByte(in, buffer) : in.read(buffer, 0, 1 + random.nextInt(buffer.length));
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(buffer, 0, n);
        }
    }

    private static int oneByte(InputStream in, byte[] buffer) throws IOException {
        int b = in.read();
        if (b < 0) {
            return -1;
        }
        buffer[0] = (byte) b;
        return 1;
    }

    /** A stream that returns fewer bytes than asked, at random, as a socket does. */
    private static final class Chunked extends InputStream {
        private final byte[] bytes;
        private final Random random;
        private int position;

        Chunked(byte[] bytes, Random random) {
            this.bytes = bytes;
            this.random = random;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position == bytes.length) {
                return -1;
            }
            int n = Math.min(1 + random.nextInt(len), bytes.length - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }
}
