package dev.imapsync.spring.boot;

import dev.imapsync.jdbc.SecretKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The development key of {@code imapsync.accounts.generate-dev-key}: random for this run, or
 * made once and kept in {@code imapsync.accounts.dev-key-file} (owner-only where the file
 * system allows) so that accounts saved in one run still decrypt in the next. Never logs or
 * throws key material.
 */
final class DevKeys {
    private DevKeys() {
    }

    /** A random key for this run only. */
    static SecretKeys forThisRun() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return SecretKeys.of("dev-generated", key);
    }

    /**
     * The key in {@code file}, made there first when the file does not exist (never replacing
     * one: when two nodes race, the file that won is read).
     */
    static SecretKeys inFile(Path file) {
        if (!Files.exists(file)) {
            create(file);
        }
        List<String> entries;
        try {
            entries = Files.readAllLines(file, StandardCharsets.US_ASCII).stream().map(String::strip)
                    .filter(s -> !s.isEmpty() && !s.startsWith("#")).collect(Collectors.toList());
        } catch (IOException e) {
            throw failure("cannot be read (" + e.getMessage() + ")", file, e);
        }
        if (entries.isEmpty()) {
            throw failure("holds no key", file, null);
        }
        try {
            return SecretKeys.parse(String.join(",", entries));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw failure("is malformed: " + e.getMessage(), file, e);
        }
    }

    private static void create(Path file) {
        String id = "dev-" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
        String content = "# imap-sync development key (imapsync.accounts.dev-key-file). Not for production:\n"
                + "# set imapsync.accounts.key instead. Deleting this file makes the stored account\n"
                + "# passwords unreadable.\n" + SecretKeys.generate(id) + "\n";
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, content, StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException e) {
            // another node made it first: its key is the one used
        } catch (IOException e) {
            throw failure("cannot be made (" + e.getMessage() + ")", file, e);
        }
    }

    private static ImapSyncConfigurationException failure(String what, Path file, Throwable cause) {
        return new ImapSyncConfigurationException("The development key file " + file + " (imapsync.accounts.dev-key-file) "
                + what + ".", "Fix or delete the file (accounts saved under its key must then be saved again), or"
                + " set imapsync.accounts.key.", cause);
    }
}
