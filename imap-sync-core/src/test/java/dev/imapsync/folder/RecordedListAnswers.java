package dev.imapsync.folder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads recorded LIST answers (test resources under {@code list/}) the way a client reads them
 * off the wire: {@code * LIST (attributes) delimiter name} and the same for {@code XLIST} and
 * {@code LSUB}, with quoted strings (and their {@code \"} and {@code \\} escapes), atoms and
 * {@code NIL}. Literals are not needed by the recordings and are refused. Lines that are not
 * untagged LIST answers (comments starting with {@code #}, the command, the tagged OK) are
 * skipped.
 */
final class RecordedListAnswers {

    /** One untagged LIST line; {@code delimiter} is null for NIL. */
    record Entry(String command, List<String> attributes, String delimiter, String name) {
    }

    private RecordedListAnswers() {
    }

    /** The folders of a recorded answer, with roles as the SDK assigns them. */
    static List<MailFolder> folders(String resource) {
        List<MailFolder> folders = new ArrayList<>();
        for (Entry e : entries(read(resource))) {
            folders.add(MailFolder.fromList(e.name(), e.delimiter(), e.attributes()));
        }
        return FolderRoles.assign(folders);
    }

    /** The folder of a list by raw name. */
    static MailFolder folder(List<MailFolder> folders, String rawName) {
        return folders.stream().filter(f -> f.name().equals(rawName)).findFirst()
                .orElseThrow(() -> new AssertionError("no folder " + rawName + " in " + folders));
    }

    static String read(String resource) {
        try (InputStream in = RecordedListAnswers.class.getResourceAsStream("/list/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource list/" + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Entry> entries(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (line.startsWith("* ")) {
                Cursor c = new Cursor(line, 2);
                String command = c.atom();
                if (command.equalsIgnoreCase("LIST") || command.equalsIgnoreCase("XLIST")
                        || command.equalsIgnoreCase("LSUB")) {
                    entries.add(parseRest(command, c));
                }
            }
        }
        return entries;
    }

    private static Entry parseRest(String command, Cursor c) {
        c.space();
        c.expect('(');
        List<String> attributes = new ArrayList<>();
        while (c.peek() != ')') {
            if (!attributes.isEmpty()) {
                c.space();
            }
            attributes.add(c.atom());
        }
        c.expect(')');
        c.space();
        String delimiter = c.nilOrString();
        c.space();
        String name = c.astring();
        return new Entry(command, List.copyOf(attributes), delimiter, name);
    }

    /** A position in one line, with the IMAP tokens the recordings use. */
    private static final class Cursor {
        private final String line;
        private int at;

        Cursor(String line, int at) {
            this.line = line;
            this.at = at;
        }

        char peek() {
            if (at >= line.length()) {
                throw error("unexpected end of line");
            }
            return line.charAt(at);
        }

        void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            at++;
        }

        void space() {
            expect(' ');
        }

        /** An atom, or a flag such as {@code \HasNoChildren}: up to a space, a parenthesis or the end. */
        String atom() {
            int start = at;
            while (at < line.length() && " ()\"{".indexOf(line.charAt(at)) < 0) {
                at++;
            }
            if (start == at) {
                throw error("expected an atom");
            }
            return line.substring(start, at);
        }

        String nilOrString() {
            if (peek() == '"') {
                return quoted();
            }
            String atom = atom();
            if (!atom.equalsIgnoreCase("NIL")) {
                throw error("expected a quoted delimiter or NIL, got " + atom);
            }
            return null;
        }

        /** A mailbox name: a quoted string or an atom (which may hold ']' as ASTRING-CHAR allows). */
        String astring() {
            char c = peek();
            if (c == '"') {
                return quoted();
            }
            if (c == '{') {
                throw error("literals are not supported by this test parser");
            }
            return atom();
        }

        private String quoted() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = peek();
                at++;
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    char escaped = peek();
                    if (escaped != '"' && escaped != '\\') {
                        throw error("bad escape \\" + escaped);
                    }
                    sb.append(escaped);
                    at++;
                } else {
                    sb.append(c);
                }
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at index " + at + " of: " + line);
        }
    }
}
