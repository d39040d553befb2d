package dev.imapsync.examples.cli;

import dev.imapsync.jdbc.SecretKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The keys that encrypt stored account secrets, for the {@code accounts} commands.
 *
 * <p>{@code IMAPSYNC_KEY} ({@code id:base64key[,id:base64key…]}, the current key first) when it
 * is set. Otherwise, and only for an H2 file database, a development key made once and kept in
 * {@code <database file>.imapsync-key} beside it (owner-only permissions where the file system
 * has them), with a warning each time it is used. Any other database needs {@code IMAPSYNC_KEY}.
 * No message here ever contains key material.
 */
final class Keys {
    /** The environment variable holding the key ring. */
    static final String ENV = "IMAPSYNC_KEY";
    /** Appended to the H2 database path (without {@code .mv.db}) to name the development key file. */
    static final String FILE_SUFFIX = ".imapsync-key";
    /** The command that prints a new key, for messages. */
    static final String NEW_KEY_COMMAND = "java -jar imap-sync.jar accounts new-key";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private Keys() {
    }

    /**
     * The keys to save accounts with.
     *
     * @param madeNow whether a development key was made by this call (nothing stored can be under it yet)
     */
    record Resolved(SecretKeys keys, boolean madeNow) {
    }

    /**
     * The keys from {@code IMAPSYNC_KEY}, or the development key beside an H2 file database.
     *
     * @throws UsageException if {@code IMAPSYNC_KEY} is malformed, or unset for a database that is not an H2 file
     */
    static Resolved resolve(String dbUrl, Map<String, String> environment, PrintStream err) {
        String text = environment.get(ENV);
        if (text != null && !text.isBlank()) {
            try {
                return new Resolved(SecretKeys.parse(text), false);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new UsageException(ENV + " is malformed: " + e.getMessage());
            }
        }
        Optional<Path> database = h2File(dbUrl);
        if (database.isEmpty()) {
            throw new UsageException(ENV + " is not set: it holds the key that encrypts stored passwords. Make one"
                    + " with '" + NEW_KEY_COMMAND + "', keep it in your secrets store and set " + ENV + " to it"
                    + " (a development key is made only for an H2 file database)");
        }
        Path file = keyFile(database.get());
        boolean madeNow = false;
        if (!Files.exists(file)) {
            madeNow = create(file);
        }
        SecretKeys keys = read(file);
        err.println("warning: " + ENV + " is not set, so account passwords are encrypted with the development key "
                + (madeNow ? "just made in " : "in ") + file + ". For development only: whoever can read that file"
                + " can decrypt them. For real use, run '" + NEW_KEY_COMMAND + "', keep the key in your secrets store"
                + " and set " + ENV + " to it.");
        return new Resolved(keys, madeNow);
    }

    /**
     * Keys for commands that neither encrypt nor decrypt ({@code list}, {@code remove}): the
     * repository wants keys, these are random and never used.
     */
    static SecretKeys unused() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return SecretKeys.of("unused", key);
    }

    /** The id for a new key: its kind and the date it was made, e.g. {@code dev-20260131}. */
    static String newId(String prefix) {
        return prefix + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    /**
     * The database file an H2 URL names ({@code jdbc:h2:./data/db}, {@code jdbc:h2:file:…},
     * {@code jdbc:h2:~/db}, an absolute path), without H2's {@code .mv.db}; empty for in-memory,
     * server ({@code tcp:}, {@code ssl:}) and other databases.
     */
    static Optional<Path> h2File(String url) {
        if (!url.regionMatches(true, 0, "jdbc:h2:", 0, 8)) {
            return Optional.empty();
        }
        String path = url.substring(8);
        int settings = path.indexOf(';');
        if (settings >= 0) {
            path = path.substring(0, settings);
        }
        if (path.regionMatches(true, 0, "file:", 0, 5)) {
            path = path.substring(5);
        }
        if (path.equals("~") || path.startsWith("~/") || path.startsWith("~\\")) {
            path = System.getProperty("user.home") + path.substring(1);
        } else if (!(path.startsWith("./") || path.startsWith(".\\") || path.startsWith("../")
                || path.startsWith("..\\") || path.startsWith("/") || path.startsWith("\\")
                || path.matches("(?i)[a-z]:[/\\\\].*"))) {
            return Optional.empty(); // mem:, tcp:, ssl:, zip:, other H2 file systems
        }
        if (path.isBlank() || path.endsWith("/") || path.endsWith("\\")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(path));
    }

    /** Where the development key of the H2 database at {@code database} is kept. */
    static Path keyFile(Path database) {
        return database.resolveSibling(database.getFileName() + FILE_SUFFIX);
    }

    /**
     * Writes a new key file, owner-only where supported, without ever replacing one: when another
     * process wins the race, its key is the one used.
     *
     * @return whether this call made the file
     */
    private static boolean create(Path file) {
        String content = "# imap-sync development key for the H2 database beside this file. Not for production:\n"
                + "# set " + ENV + " instead (" + NEW_KEY_COMMAND + "). Deleting this file makes the stored\n"
                + "# account passwords unreadable.\n"
                + SecretKeys.generate(newId("dev-")) + "\n";
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
            temporary = posix
                    ? Files.createTempFile(directory, ".imapsync-key", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                    : Files.createTempFile(directory, ".imapsync-key", ".tmp");
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, temporary); // atomic, and never replaces an existing file
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | FileSystemException e) {
                Files.move(temporary, file); // no hard links here: not atomic, but never replaces either
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UsageException("Cannot make the development key file " + file + " (" + e.getMessage()
                    + "): set " + ENV + " instead (make a key with '" + NEW_KEY_COMMAND + "')");
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // a left-over temporary file holds a key nobody uses
                }
            }
        }
    }

    private static SecretKeys read(Path file) {
        List<String> entries = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String s = line.strip();
                if (!s.isEmpty() && !s.startsWith("#")) {
                    entries.add(s);
                }
            }
        } catch (IOException e) {
            throw new UsageException("Cannot read the development key file " + file + " (" + e.getMessage()
                    + "): make it readable, or set " + ENV);
        }
        if (entries.isEmpty()) {
            throw new UsageException("The development key file " + file + " holds no key: set " + ENV + ", or delete"
                    + " the file to make a new key (accounts saved under the old one must then be added again)");
        }
        try {
            return SecretKeys.parse(String.join(",", entries));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UsageException("The development key file " + file + " is malformed: " + e.getMessage());
        }
    }
}
