package dev.imapsync.testing;

import dev.imapsync.account.ImapAccount;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension for tests against the project's Dovecot ({@link Dovecot}): it skips them,
 * saying how to start it, when {@code IMAPSYNC_TEST_DOVECOT} is not set; it hands out accounts
 * that sign in over implicit TLS trusting its certificate, admin connections (Jakarta Mail, also
 * over verified TLS) to prepare mailboxes, and folders of a test's own, deleted afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DovecotExtension DOVECOT = new DovecotExtension();
 *
 * @Test
 * void syncsAFolder() {
 *     String folder = DOVECOT.newFolder("sync");
 *     DOVECOT.append(folder, "From: ann@client.example\nSubject: Offer\n\nHello\n");
 *     SyncReport report = engine.sync(DOVECOT.account(Dovecot.PLAIN_USER).id("alice").build(),
 *             FolderChoice.named(List.of(folder)));
 *     ...
 * }
 * }</pre>
 *
 * <p>Register it in a {@code static} field, so that the whole class is skipped at once. What a
 * test opens or creates (between its {@code @BeforeEach} and {@code @AfterEach}, both
 * included) is deleted and closed after it; what a {@code @BeforeAll} method does, after the
 * class. Folders are deleted with their messages; mail a test puts in a shared folder (INBOX) is
 * the test's to remove. Not thread-safe: one test at a time.
 */
public final class DovecotExtension implements ExecutionCondition, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback {
    /** The variable that says where Dovecot is; the others are read from it on. */
    public static final String VARIABLE = "IMAPSYNC_TEST_DOVECOT";

    private final Scope classScope = new Scope();
    private final Scope testScope = new Scope();
    private Dovecot dovecot;
    private boolean inTest;

    /** An extension for the Dovecot that the environment describes. */
    public DovecotExtension() {
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String where = System.getenv(VARIABLE);
        if (where == null || where.isBlank()) {
            return ConditionEvaluationResult.disabled(VARIABLE + " is not set: these tests need the project's Dovecot;"
                    + " run .ci/dovecot/start.sh (as root) and source the env file it writes"
                    + " (/tmp/imapsync-dovecot/env), or run bash .ci/run");
        }
        return ConditionEvaluationResult.enabled("the project's Dovecot at " + where);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        inTest = true;
    }

    @Override
    public void afterEach(ExtensionContext context) throws MessagingException {
        inTest = false;
        testScope.close();
    }

    @Override
    public void afterAll(ExtensionContext context) throws MessagingException {
        classScope.close();
    }

    /** The Dovecot the environment describes; fails with a clear message when a variable is missing. */
    public Dovecot dovecot() {
        if (dovecot == null) {
            dovecot = Dovecot.fromEnvironment();
        }
        return dovecot;
    }

    /** See {@link Dovecot#account(String)}. */
    public ImapAccount.Builder account(String user) {
        return dovecot().account(user);
    }

    /** An admin connection as {@link Dovecot#PLAIN_USER}; see {@link #admin(String)}. */
    public Store admin() {
        return admin(Dovecot.PLAIN_USER);
    }

    /**
     * A Jakarta Mail connection as {@code user} (one of the password users) over implicit TLS,
     * the certificate and host name verified, for preparing and inspecting the mailbox; one per
     * user and scope, closed after the test (or the class).
     */
    public Store admin(String user) {
        return scope().admin(user);
    }

    /**
     * Creates a folder of {@link Dovecot#PLAIN_USER} named {@code prefix-} and eight random hex
     * digits, so that concurrent runs and earlier failed runs do not meet; deleted after the test
     * (or the class).
     *
     * @return its name
     */
    public String newFolder(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        createFolder(name);
        return name;
    }

    /**
     * Creates the folder {@code name} of {@link Dovecot#PLAIN_USER}, deleted after the test (or
     * the class), also when the test deleted it and made it again.
     */
    public void createFolder(String name) {
        Scope scope = scope();
        try {
            admin().getFolder(name).create(Folder.HOLDS_MESSAGES);
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot create the folder " + name + " on the project's Dovecot", e);
        }
        if (!scope.folders.contains(name)) {
            scope.folders.add(name);
        }
    }

    /**
     * Appends a message to {@code folder} of {@link Dovecot#PLAIN_USER}, its line ends made CRLF
     * (so a Java text block or "\n" may be used).
     */
    public void append(String folder, String rfc822) {
        byte[] bytes = rfc822.replaceAll("\r?\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        try {
            admin().getFolder(folder).appendMessages(new Message[] {
                new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes))});
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot append a message to " + folder + " on the project's Dovecot", e);
        }
    }

    private Scope scope() {
        return inTest ? testScope : classScope;
    }

    /** What a test, or the class, opened and created. */
    private final class Scope {
        private final Map<String, Store> admins = new LinkedHashMap<>();
        private final List<String> folders = new ArrayList<>();

        Store admin(String user) {
            Store store = admins.get(user);
            if (store != null && store.isConnected()) {
                return store;
            }
            Properties props = new Properties();
            props.put("mail.imaps.ssl.socketFactory", dovecot().sslContext().getSocketFactory());
            props.put("mail.imaps.ssl.checkserveridentity", "true");
            props.put("mail.imaps.connectiontimeout", "10000");
            props.put("mail.imaps.timeout", "30000");
            try {
                store = Session.getInstance(props).getStore("imaps");
                store.connect(dovecot().host(), dovecot().tlsPort(), user, dovecot().password());
            } catch (MessagingException e) {
                throw new IllegalStateException("cannot sign in to the project's Dovecot at " + dovecot().host() + ":"
                        + dovecot().tlsPort() + " as " + user + " (is it running? .ci/dovecot/start.sh)", e);
            }
            admins.put(user, store);
            return store;
        }

        /** Deletes the folders, then closes the connections; the first failure is thrown, the rest suppressed. */
        void close() throws MessagingException {
            MessagingException failure = null;
            for (String name : folders) {
                try {
                    Folder folder = admin(Dovecot.PLAIN_USER).getFolder(name);
                    if (folder.exists()) {
                        folder.delete(true);
                    }
                } catch (MessagingException e) {
                    failure = keep(failure, e);
                }
            }
            folders.clear();
            for (Store store : admins.values()) {
                try {
                    store.close();
                } catch (MessagingException e) {
                    failure = keep(failure, e);
                }
            }
            admins.clear();
            if (failure != null) {
                throw failure;
            }
        }

        private MessagingException keep(MessagingException first, MessagingException next) {
            if (first == null) {
                return next;
            }
            first.addSuppressed(next);
            return first;
        }
    }
}
