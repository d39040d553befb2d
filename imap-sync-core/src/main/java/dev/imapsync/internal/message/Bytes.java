package dev.imapsync.internal.message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Scans of byte ranges eight bytes at a time (SWAR): finding the line ends of a header block and
 * checking values for 8-bit bytes are most of the bytes the parser looks at.
 */
final class Bytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = ONES * '\n';
    private static final long QUESTIONS = ONES * '?';
    private static final long BELOW_BANG = ONES * '!';

    private Bytes() {
    }

    /** The index of the first LF in {@code b[from, end)}, or {@code end}. */
    /**
     * The index just after the comment that opens at {@code i} (nesting and backslash escapes
     * respected), or {@code end} when it never closes.
     */
    static int afterComment(byte[] b, int i, int end) {
        int depth = 0;
        while (i < end) {
            int d = b[i++];
            if (d == '\\') {
                i++;
            } else if (d == '(') {
                depth++;
            } else if (d == ')' && --depth == 0) {
                return i;
            }
        }
        return Math.min(i, end);
    }

    static int indexOfNewline(byte[] b, int from, int end) {
        int i = from;
        while (i + 8 <= end) {
            long word = (long) LONGS.get(b, i) ^ NEWLINES;
            long found = (word - ONES) & ~word & HIGHS; // a byte that was '\n' is now zero
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += 8;
        }
        while (i < end && b[i] != '\n') {
            i++;
        }
        return i;
    }

    /**
     * Where a run of bytes that are neither '?' nor below '!' (white space, controls) may end:
     * an index at or before the first such byte of {@code b[from, end)}. Skips the long text of
     * an encoded word eight bytes at a time; the caller checks byte by byte from there.
     */
    static int skipToQuestionOrSpace(byte[] b, int from, int end) {
        int i = from;
        while (i + 8 <= end) {
            long word = (long) LONGS.get(b, i);
            long question = word ^ QUESTIONS;
            long found = ((question - ONES) & ~question) | ((word - BELOW_BANG) & ~word);
            if ((found & HIGHS) != 0) {
                return i;
            }
            i += 8;
        }
        return i;
    }

    /** Whether any byte of {@code b[from, end)} has its high bit set. */
    static boolean hasEightBit(byte[] b, int from, int end) {
        int i = from;
        long any = 0;
        while (i + 8 <= end) {
            any |= (long) LONGS.get(b, i);
            i += 8;
        }
        if ((any & HIGHS) != 0) {
            return true;
        }
        while (i < end) {
            if (b[i++] < 0) {
                return true;
            }
        }
        return false;
    }
}
