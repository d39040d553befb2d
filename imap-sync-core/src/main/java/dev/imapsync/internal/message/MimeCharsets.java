package dev.imapsync.internal.message;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the JDK charset an encoded word names, without a String for the common names and with a
 * cache for the rest. Names a hostile message makes up cannot grow the cache without bound, and a
 * parse asks the JDK about at most a few unknown names (each miss asks every installed charset
 * provider).
 */
final class MimeCharsets {
    /** Labels mail programs write for a charset the JDK knows under a wider name. */
    private static final String[][] SUPERSETS = {
            // GB2312 mail is routinely GBK; Korean mail labels windows-949 with its registry name
            {"gb2312", "GBK"},
            {"ks_c_5601-1987", "x-windows-949"},
            {"iso-8859-8-i", "ISO-8859-8"},
    };
    private static final int MAX_CACHED = 256;
    private static final int MAX_NAME = 40;
    private static final ConcurrentHashMap<String, Charset> CACHE = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, Boolean> MISSES = new ConcurrentHashMap<>();

    private MimeCharsets() {
    }

    /**
     * The charset named by {@code b[start, end)} (an RFC 2231 {@code *language} suffix already
), or {@code null} when the JDK knows no such charset or the parse has used its
     * budget of lookups ({@code run} may be {@code null} outside a header parse: the caches bound
     * the cost of repeated unknown names).
     */
    static Charset lookup(byte[] b, int start, int end, ParseRun run) {
        int length = end - start;
        if (length == 5 && equalsIgnoreCase(b, start, "utf-8")) {
            return StandardCharsets.UTF_8;
        }
        if (length == 10 && equalsIgnoreCase(b, start, "iso-8859-1")) {
            return StandardCharsets.ISO_8859_1;
        }
        if (length == 8 && equalsIgnoreCase(b, start, "us-ascii")) {
            return StandardCharsets.US_ASCII;
        }
        if (length == 0 || length > MAX_NAME) {
            return null;
        }
        for (int i = start; i < end; i++) {
            int c = b[i];
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':' || c == '+';
            if (!legal) {
                return null;
            }
        }
        String name = new String(b, start, length, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        Charset cached = CACHE.get(name);
        if (cached != null) {
            return cached;
        }
        if (MISSES.containsKey(name) || (run != null && !run.mayLookUpCharset())) {
            return null;
        }
        Charset found = forName(name);
        if (found == null) {
            if (MISSES.size() < MAX_CACHED) {
                MISSES.put(name, Boolean.TRUE);
            }
            return null;
        }
        if (CACHE.size() < MAX_CACHED) {
            CACHE.put(name, found);
        }
        return found;
    }

    private static Charset forName(String name) {
        String jdkName = name;
        for (String[] superset : SUPERSETS) {
            if (superset[0].equals(name)) {
                jdkName = superset[1];
            }
        }
        try {
            return Charset.isSupported(jdkName) ? Charset.forName(jdkName) : null;
        } catch (RuntimeException e) {
            // IllegalCharsetNameException and friends: a name no JDK charset has
            return null;
        }
    }

    private static boolean equalsIgnoreCase(byte[] b, int start, String lowerCase) {
        for (int i = 0; i < lowerCase.length(); i++) {
            int c = b[start + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
