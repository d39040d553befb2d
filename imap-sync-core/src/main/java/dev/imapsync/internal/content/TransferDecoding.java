package dev.imapsync.internal.content;

import java.util.Arrays;
import java.util.List;

/**
 * Undoes a Content-Transfer-Encoding on a prefix that may be cut anywhere: an incomplete trailing
 * quoted-printable escape or base64 quantum is dropped, and what real encoders get wrong
 * (lower-case hex, a '=' that escapes nothing, line breaks and junk inside base64) is tolerated.
 */
final class TransferDecoding {
    private static final byte[] BASE64 = new byte[128];

    static {
        Arrays.fill(BASE64, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64[alphabet.charAt(i)] = (byte) i;
        }
    }

    private TransferDecoding() {
    }

    static byte[] decode(String encoding, byte[] b, int offset, int length, boolean cut, List<String> warnings) {
        switch (encoding == null ? "7bit" : encoding) {
            case "quoted-printable":
                return quotedPrintable(b, offset, offset + length, cut);
            case "base64":
                return base64(b, offset, offset + length);
            case "7bit":
            case "8bit":
            case "binary":
                return Arrays.copyOfRange(b, offset, offset + length);
            default:
                warnings.add("unknown transfer encoding " + Previews.excerpt(encoding) + "; read as 8bit");
                return Arrays.copyOfRange(b, offset, offset + length);
        }
    }

    static byte[] quotedPrintable(byte[] b, int start, int end, boolean cut) {
        byte[] out = new byte[end - start];
        int n = 0;
        int i = start;
        while (i < end) {
            int c = b[i];
            if (c != '=') {
                out[n++] = (byte) c;
                i++;
                continue;
            }
            // a soft line break: '=' then optional trailing white space then CRLF or LF
            int j = i + 1;
            while (j < end && (b[j] == ' ' || b[j] == '\t')) {
                j++;
            }
            if (j < end && (b[j] == '\r' || b[j] == '\n')) {
                i = b[j] == '\r' && j + 1 < end && b[j + 1] == '\n' ? j + 2 : j + 1;
                continue;
            }
            if (j >= end && cut) {
                break; // "=", "= " or "=\r" at the cut: its meaning is in the bytes not fetched
            }
            if (i + 1 < end && i + 2 >= end && cut && Character.digit(b[i + 1], 16) >= 0) {
                break; // "=A" at the cut
            }
            int high = i + 2 < end ? Character.digit(b[i + 1], 16) : -1;
            int low = i + 2 < end ? Character.digit(b[i + 2], 16) : -1;
            if (high >= 0 && low >= 0) {
                out[n++] = (byte) (high << 4 | low);
                i += 3;
            } else {
                out[n++] = '='; // an escape of nothing: keep it, as mail readers do
                i++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    static byte[] base64(byte[] b, int start, int end) {
        byte[] out = new byte[(end - start) * 3 / 4 + 3];
        int n = 0;
        int bits = 0;
        int count = 0;
        for (int i = start; i < end; i++) {
            int c = b[i];
            if (c == '=') {
                count = 0; // padding; some encoders concatenate padded blocks
                bits = 0;
                continue;
            }
            int v = c >= 0 && c < 128 ? BASE64[c] : -1;
            if (v < 0) {
                continue; // line breaks, and the junk some encoders leave
            }
            bits = (bits << 6) | v;
            count += 6;
            if (count >= 8) {
                count -= 8;
                out[n++] = (byte) (bits >> count);
                bits &= (1 << count) - 1;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
