package dev.imapsync.testing;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs {@link GreenMailTls} (IMAPS with a certificate made at test time)
 * with users and mailboxes described in code, and hands out {@link ImapAccount}s that connect
 * to it and trust its certificate.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final GreenMailExtension mail = GreenMailExtension.builder()
 *         .user("owner@acme.example", "secret", mailbox -> mailbox
 *                 .received("ann@example.com", "Offer")
 *                 .sent("ann@example.com", "Re: Offer")
 *                 .message("Archive", "From: bob@example.com\nTo: owner@acme.example\nSubject: old\n\nHi\n"))
 *         .build();
 *
 * @Test
 * void syncsTheMailbox() {
 *     ImapAccount account = mail.account("owner@acme.example").build();
 *     SyncReport report = engine.sync(account, FolderChoice.recommended());
 *     ...
 * }
 * }</pre>
 *
 * <p>In a {@code static} field the server starts before the class's first test and stops after
 * its last (messages appended by a test stay for the next); in an instance field each test gets
 * a fresh server. The IMAPS port presents {@link TestCertificates#localhost()} unless {@link
 * Builder#certificate} says otherwise. GreenMail's dialect (no SPECIAL-USE, no CONDSTORE, "."
 * as hierarchy delimiter) is described on {@link GreenMailTls}.
 */
public final class GreenMailExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final TestCertificate certificate;
    private final Map<String, User> users;
    private GreenMailTls server;
    private Map<String, GreenMailUser> greenMailUsers = Map.of();
    private boolean perTest;

    private GreenMailExtension(TestCertificate certificate, Map<String, User> users) {
        this.certificate = certificate;
        this.users = users;
    }

    /** A builder of an extension with no users yet. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (server == null) {
            perTest = true;
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** The running server, for what this class does not wrap (e.g. {@code greenMail()}). */
    public GreenMailTls server() {
        if (server == null) {
            throw new IllegalStateException("GreenMail is not running: register the GreenMailExtension with"
                    + " @RegisterExtension and use it inside a test or a @BeforeEach/@BeforeAll method");
        }
        return server;
    }

    /** Where the server listens: always 127.0.0.1. */
    public String host() {
        return server().host();
    }

    /** The IMAPS port (TLS from the first byte). */
    public int imapsPort() {
        return server().imapsPort();
    }

    /** The certificate the IMAPS port presents. */
    public TestCertificate certificate() {
        return certificate;
    }

    /**
     * A builder of an account that signs in as {@code address} over IMAPS and trusts the
     * server's certificate; its id is the address. Add aliases, timeouts or another id as needed.
     *
     * @throws IllegalArgumentException if no such user was declared
     */
    public ImapAccount.Builder account(String address) {
        User user = user(address);
        return ImapAccount.builder()
                .emailAddress(address)
                .endpoint(host(), imapsPort(), Security.SSL_TLS)
                .password(address, user.password)
                .trustCertificatePem(certificate.pem());
    }

    /**
     * Stores a message in {@code folder} of the user {@code address} now, as the server would
     * have received it; returns its UID. See {@link GreenMailTls#append(GreenMailUser, String, String)}.
     *
     * @throws IllegalArgumentException if no such user was declared
     */
    public long append(String address, String folder, String rfc822) {
        user(address);
        return server().append(greenMailUsers.get(address), folder, rfc822);
    }

    private User user(String address) {
        User user = users.get(address);
        if (user == null) {
            throw new IllegalArgumentException("No user " + address + " was declared; the users are "
                    + users.keySet() + ": add it with GreenMailExtension.builder().user(address, password)");
        }
        return user;
    }

    private void start() {
        GreenMailTls started = GreenMailTls.start(certificate);
        try {
            Map<String, GreenMailUser> made = new LinkedHashMap<>();
            for (User user : users.values()) {
                GreenMailUser greenMailUser = started.addUser(user.address, user.password);
                made.put(user.address, greenMailUser);
                for (Message m : user.messages) {
                    started.append(greenMailUser, m.folder, m.rfc822, m.internalDate);
                }
            }
            greenMailUsers = made;
            server = started;
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    private void stop() {
        if (server != null) {
            server.close();
            server = null;
            greenMailUsers = Map.of();
        }
    }

    private record Message(String folder, String rfc822, Instant internalDate) {
    }

    private record User(String address, String password, List<Message> messages) {
    }

    /** Users, their mailboxes and the certificate; not thread-safe. */
    public static final class Builder {
        private TestCertificate certificate = TestCertificates.localhost();
        private final Map<String, User> users = new LinkedHashMap<>();

        private Builder() {
        }

        /** The certificate the IMAPS port presents; {@link TestCertificates#localhost()} unless set. */
        public Builder certificate(TestCertificate certificate) {
            this.certificate = Objects.requireNonNull(certificate, "certificate");
            return this;
        }

        /** A user with an empty INBOX, who logs in as {@code address} (also the email address). */
        public Builder user(String address, String password) {
            return user(address, password, mailbox -> { });
        }

        /**
         * A user who logs in as {@code address} (also the email address), with the messages
         * {@code fill} adds to the mailbox; folders are created as messages name them.
         *
         * @throws IllegalArgumentException if the user was declared already
         */
        public Builder user(String address, String password, Consumer<Mailbox> fill) {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(password, "password");
            if (users.containsKey(address)) {
                throw new IllegalArgumentException("User " + address + " is declared twice: declare each user once,"
                        + " with all of its messages");
            }
            Mailbox mailbox = new Mailbox(address);
            fill.accept(mailbox);
            users.put(address, new User(address, password, List.copyOf(mailbox.messages)));
            return this;
        }

        /** The extension, to be put in a field annotated {@code @RegisterExtension}. */
        public GreenMailExtension build() {
            return new GreenMailExtension(certificate, Collections.unmodifiableMap(new LinkedHashMap<>(users)));
        }
    }

    /**
     * The messages of one user's mailbox, in the order they get their UIDs. The generated
     * messages ({@link #received}, {@link #sent}) are plain text with a Date and a unique
     * Message-ID, the n-th dated n minutes after one day before the mailbox was described.
     */
    public static final class Mailbox {
        private final String owner;
        private final Instant dayBefore = Instant.now().minus(Duration.ofDays(1));
        private final List<Message> messages = new ArrayList<>();

        private Mailbox(String owner) {
            this.owner = owner;
        }

        /**
         * A message in {@code folder} ("INBOX", "Sent", "Archive.2024": "." separates levels),
         * received now. {@code rfc822} is the raw message, headers and body, with LF or CRLF line
         * ends.
         */
        public Mailbox message(String folder, String rfc822) {
            return message(folder, rfc822, Instant.now());
        }

        /** As {@link #message(String, String)}, with the date INTERNALDATE and SEARCH SINCE see. */
        public Mailbox message(String folder, String rfc822, Instant internalDate) {
            messages.add(new Message(Objects.requireNonNull(folder, "folder"), Objects.requireNonNull(rfc822, "rfc822"),
                    Objects.requireNonNull(internalDate, "internalDate")));
            return this;
        }

        /** A message from {@code from} to the owner, in INBOX. */
        public Mailbox received(String from, String subject) {
            return generated("INBOX", from, owner, subject);
        }

        /** A message from the owner to {@code to}, in Sent. */
        public Mailbox sent(String to, String subject) {
            return generated("Sent", owner, to, subject);
        }

        private Mailbox generated(String folder, String from, String to, String subject) {
            int n = messages.size() + 1;
            Instant date = dayBefore.plus(Duration.ofMinutes(n));
            String rfc822 = "From: " + from + "\nTo: " + to + "\nSubject: " + subject + "\nDate: "
                    + RFC_5322.format(date) + "\nMessage-ID: <" + n + "." + owner.replace('@', '.')
                    + "@greenmail.test>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n"
                    + subject + "\n";
            return message(folder, rfc822, date);
        }
    }
}
