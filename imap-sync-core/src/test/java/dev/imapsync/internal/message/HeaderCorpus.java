package dev.imapsync.internal.message;

import dev.imapsync.message.EmailAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The header corpus in {@code src/test/resources/headers/*.txt}: tricky header blocks seen in
 * real mail, each with the parse it must give. The format, one file holding many cases:
 *
 * <pre>
 * # a comment (only outside a case's header block)
 * === a name for the case [lf] [no-eol]
 * From: "Doe, John" &lt;john@example.com&gt;
 * Subject: =?utf-8?Q?caf=C3=A9?=
 * --- expect
 * from: "Doe, John" &lt;john@example.com&gt;
 * subject: café
 * </pre>
 *
 * The lines between {@code ===} and {@code --- expect} are the header block, taken literally and
 * each ended by CRLF as an IMAP server sends them ({@code [lf]}: by a bare LF; {@code [no-eol]}:
 * the last line has no line end). An empty line in the block is part of it. {@code \x{HH}}
 * writes a raw byte (for Latin-1, NUL, controls). The expectation lists, in this order, every
 * non-empty part of the result as {@link #render(MessageHeaders)} prints it, so a case asserts
 * the whole parse, warnings included.
 */
final class HeaderCorpus {
    /** One case of the corpus. */
    record Case(String file, String name, byte[] block, List<String> expected) {
        @Override
        public String toString() {
            return file + ": " + name;
        }
    }

    private HeaderCorpus() {
    }

    /** All cases of all files, in file and then case order. */
    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        for (Path file : files()) {
            cases.addAll(read(file));
        }
        return cases;
    }

    static List<Path> files() {
        URL url = HeaderCorpus.class.getResource("/headers");
        if (url == null) {
            throw new IllegalStateException("the test resources have no headers/ folder");
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Case> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String fileName = file.getFileName().toString();
        List<Case> cases = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (!line.startsWith("=== ")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    throw new IllegalStateException(fileName + ":" + (i + 1) + ": expected '=== name', found: " + line);
                }
                i++;
                continue;
            }
            String title = line.substring(4).trim();
            boolean lf = title.contains("[lf]");
            boolean noEol = title.contains("[no-eol]");
            String name = title.replace("[lf]", "").replace("[no-eol]", "").trim();
            int start = ++i;
            while (i < lines.size() && !lines.get(i).equals("--- expect")) {
                i++;
            }
            if (i >= lines.size()) {
                throw new IllegalStateException(fileName + ": case '" + name + "' has no '--- expect' line");
            }
            List<String> block = lines.subList(start, i);
            i++;
            List<String> expected = new ArrayList<>();
            while (i < lines.size() && !lines.get(i).startsWith("=== ")) {
                String e = lines.get(i++);
                if (!e.isBlank() && !e.startsWith("#")) {
                    expected.add(e);
                }
            }
            cases.add(new Case(fileName, name, bytes(block, lf ? "\n" : "\r\n", noEol), expected));
        }
        return cases;
    }

    private static byte[] bytes(List<String> lines, String eol, boolean noEol) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            int k = 0;
            while (k < line.length()) {
                if (line.startsWith("\\x{", k) && k + 6 <= line.length() && line.charAt(k + 5) == '}') {
                    out.write(Integer.parseInt(line.substring(k + 3, k + 5), 16));
                    k += 6;
                } else {
                    int cp = line.codePointAt(k);
                    byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                    out.write(utf8, 0, utf8.length);
                    k += Character.charCount(cp);
                }
            }
            if (n < lines.size() - 1 || !noEol) {
                out.writeBytes(eol.getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toByteArray();
    }

    /**
     * The parse as the corpus writes expectations: one line per address
     * ({@code field: "Name" <address>}, {@code  => normalized} when that differs), then subject,
     * date, ids, references and warnings, each only when present.
     */
    static List<String> render(MessageHeaders h) {
        List<String> out = new ArrayList<>();
        addresses(out, "from", h.from());
        addresses(out, "sender", h.sender());
        addresses(out, "reply-to", h.replyTo());
        addresses(out, "to", h.to());
        addresses(out, "cc", h.cc());
        addresses(out, "bcc", h.bcc());
        if (!h.subject().isEmpty()) {
            out.add("subject: " + h.subject());
        }
        h.date().ifPresent(d -> out.add("date: " + d));
        h.messageId().ifPresent(id -> out.add("message-id: " + id));
        h.inReplyTo().ifPresent(id -> out.add("in-reply-to: " + id));
        if (!h.references().isEmpty()) {
            out.add("references: " + String.join(" ", h.references()));
        }
        for (String warning : h.warnings()) {
            out.add("warning: " + warning);
        }
        return out;
    }

    private static void addresses(List<String> out, String field, List<EmailAddress> addresses) {
        for (EmailAddress a : addresses) {
            String line = field + ": " + (a.displayName().isEmpty() ? "<" + a.address() + ">"
                    : "\"" + a.displayName() + "\" <" + a.address() + ">");
            if (!a.normalized().equals(a.address())) {
                line += " => " + a.normalized();
            }
            out.add(line);
        }
    }
}
