package dev.imapsync.internal.content;

import dev.imapsync.internal.message.MimeText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * MIME parameters as BODYSTRUCTURE lists them ({@code ("name" "value" …)}), with RFC 2231
 * continuations ({@code filename*0*=}, {@code filename*1=}) joined and {@code charset'lang'%XX}
 * values decoded. Servers differ: Dovecot and Cyrus pass the parameters through as the header
 * has them, Gmail and GreenMail sometimes join and decode them first; both come out the same.
 * RFC 2047 encoded words in a value (Outlook, Gmail and Thunderbird write them in file names
 * against RFC 2047's advice) are decoded too.
 */
final class MimeParams {
    private static final int MAX_SECTIONS = 64;

    private MimeParams() {
    }

    static Map<String, String> read(Sexp list) {
        if (!list.isList() || list.size() < 2) {
            return Map.of();
        }
        Map<String, String> plain = new HashMap<>();
        Map<String, TreeMap<Integer, String[]>> continued = new HashMap<>();
        List<Sexp> items = list.items();
        for (int i = 0; i + 1 < items.size(); i += 2) {
            String name = items.get(i).text();
            String value = items.get(i + 1).text();
            if (name == null || value == null) {
                continue;
            }
            name = name.trim().toLowerCase(Locale.ROOT);
            int star = name.indexOf('*');
            if (star < 0) {
                plain.putIfAbsent(name, value);
                continue;
            }
            String base = name.substring(0, star);
            String rest = name.substring(star + 1);
            boolean encoded = rest.endsWith("*") || rest.isEmpty();
            String number = rest.endsWith("*") ? rest.substring(0, rest.length() - 1) : rest;
            int index;
            if (number.isEmpty()) {
                index = 0;
            } else {
                try {
                    index = Integer.parseInt(number);
                } catch (NumberFormatException e) {
                    continue;
                }
            }
            if (index < 0 || index >= MAX_SECTIONS) {
                continue;
            }
            continued.computeIfAbsent(base, k -> new TreeMap<>()).putIfAbsent(index,
                    new String[] {value, encoded ? "*" : ""});
        }
        Map<String, String> result = new HashMap<>();
        for (Map.Entry<String, String> e : plain.entrySet()) {
            result.put(e.getKey(), MimeText.decodeWords(e.getValue()));
        }
        // an RFC 2231 value wins over a plain one of the same name (RFC 2231 section 4, and what mailers intend)
        for (Map.Entry<String, TreeMap<Integer, String[]>> e : continued.entrySet()) {
            String joined = join(e.getValue());
            if (joined != null && !joined.isEmpty()) {
                result.put(e.getKey(), joined);
            }
        }
        return result;
    }

    /** Joins the sections in order; decodes the encoded ones with the charset of section 0. */
    private static String join(TreeMap<Integer, String[]> sections) {
        Charset charset = StandardCharsets.UTF_8;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringBuilder out = new StringBuilder();
        int expected = 0;
        for (Map.Entry<Integer, String[]> s : sections.entrySet()) {
            if (s.getKey() != expected++) {
                break; // a gap: RFC 2231 says to stop at the first missing section
            }
            String value = s.getValue()[0];
            boolean encoded = !s.getValue()[1].isEmpty();
            if (encoded && s.getKey() == 0) {
                int first = value.indexOf('\'');
                int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
                if (second > 0) {
                    String label = value.substring(0, first);
                    if (!label.isEmpty()) {
                        charset = MimeText.charset(label).orElse(StandardCharsets.ISO_8859_1);
                    }
                    value = value.substring(second + 1);
                }
            }
            if (encoded) {
                percentDecode(value, bytes);
            } else {
                flush(bytes, charset, out);
                out.append(value);
            }
        }
        flush(bytes, charset, out);
        return MimeText.decodeWords(out.toString());
    }

    private static void percentDecode(String value, ByteArrayOutputStream bytes) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()
                    && Character.digit(value.charAt(i + 1), 16) >= 0 && Character.digit(value.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(value.charAt(i + 1), 16) << 4 | Character.digit(value.charAt(i + 2), 16));
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // a server that decoded the bytes already (8-bit names): keep the character
                byte[] u = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(u, 0, u.length);
            }
        }
    }

    private static void flush(ByteArrayOutputStream bytes, Charset charset, StringBuilder out) {
        if (bytes.size() > 0) {
            out.append(new String(bytes.toByteArray(), charset));
            bytes.reset();
        }
    }
}
