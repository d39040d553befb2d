package dev.imapsync.internal.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time scans agree with a byte-at-a-time loop on every range of random arrays. */
class BytesTest {

    @Test
    void scansAgreeWithTheirByteByByteDefinitions() {
        Random random = new Random(11);
        byte[] alphabet = {'a', 'Z', '?', '\n', '\r', ' ', '!', 0, (byte) 0x80, (byte) 0xFF, 0x7F, '='};
        for (int n = 0; n < 20_000; n++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) ('a' + random.nextInt(26));
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int end = from + random.nextInt(b.length - from + 1);

            int newline = from;
            while (newline < end && b[newline] != '\n') {
                newline++;
            }
            boolean eightBit = false;
            for (int i = from; i < end; i++) {
                eightBit |= b[i] < 0;
            }
            int stop = from;
            while (stop < end && b[stop] != '?' && (b[stop] < 0 || b[stop] >= '!')) {
                stop++;
            }

            assertThat(Bytes.indexOfNewline(b, from, end)).isEqualTo(newline);
            assertThat(Bytes.hasEightBit(b, from, end)).isEqualTo(eightBit);
            assertThat(Bytes.skipToQuestionOrSpace(b, from, end)).isBetween(from, stop);
        }
    }
}
