package dev.imapsync.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A MIME corpus of our own making, for tests of anything that reads message structure and text:
 * ISO-8859-x, windows-125x, Shift_JIS, ISO-2022-JP, GB18030, ks_c_5601-1987 and UTF-8 text in the
 * demo's languages, quoted-printable and base64, alternative inside mixed inside related, HTML-only
 * mail, forwarded message/rfc822, RFC 2231 and RFC 2047 file names, calendar invitations, S/MIME
 * and PGP, format=flowed, Outlook and Gmail replies with quotes, broken structures.
 *
 * <p>The messages are resources under {@code dev/imapsync/testing/mime/}, byte for byte as a
 * server would store them (CRLF line ends), written by {@code imap-sync-testing/tools/make-mime-corpus.py};
 * each file's name says what it covers.
 */
public final class MimeCorpus {
    private static final String DIRECTORY = "/dev/imapsync/testing/mime/";

    /** One corpus message: its name (the file name without {@code .eml}) and its bytes. */
    public record Message(String name, byte[] bytes) {
        /** Copies nothing: tests may read the bytes but should not change them. */
        public Message {
            if (name == null || bytes == null) {
                throw new IllegalArgumentException("a corpus message needs a name and bytes");
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private MimeCorpus() {
    }

    /** The names of all corpus messages, in alphabetical order. */
    public static List<String> names() {
        String index = new String(read("index.txt"), StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        for (String line : index.split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    /** Every corpus message, in alphabetical order of name. */
    public static List<Message> all() {
        List<Message> all = new ArrayList<>();
        for (String name : names()) {
            all.add(load(name));
        }
        return List.copyOf(all);
    }

    /**
     * One corpus message by name ({@code "utf8-german"}).
     *
     * @throws IllegalArgumentException when there is no such message
     */
    public static Message load(String name) {
        return new Message(name, read(name + ".eml"));
    }

    /**
     * The BODYSTRUCTURE value (from its '(' to its ')') that Dovecot 2.3 sends for a corpus message,
     * as recorded in {@code bodystructures-dovecot.txt}: for benchmarks and parser tests that run
     * without a server. The Dovecot corpus test checks the recording against the server.
     *
     * @throws IllegalArgumentException when there is no such message
     */
    public static byte[] dovecotBodyStructure(String name) {
        String recorded = new String(read("bodystructures-dovecot.txt"), StandardCharsets.UTF_8);
        for (String line : recorded.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0 && line.substring(0, tab).equals(name)) {
                return line.substring(tab + 1).getBytes(StandardCharsets.UTF_8);
            }
        }
        throw new IllegalArgumentException("no recorded BODYSTRUCTURE for " + name + " in " + DIRECTORY
                + "bodystructures-dovecot.txt");
    }

    private static byte[] read(String file) {
        try (InputStream in = MimeCorpus.class.getResourceAsStream(DIRECTORY + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus resource " + DIRECTORY + file + " on the class path;"
                        + " the names are in " + DIRECTORY + "index.txt");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the corpus resource " + DIRECTORY + file, e);
        }
    }
}
