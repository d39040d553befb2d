package dev.imapsync.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.testing.Dovecot;
import dev.imapsync.testing.DovecotExtension;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.HeaderTerm;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The IDLE watcher against a real Dovecot: a message APPENDed through a second connection
 * while the watcher idles calls back within seconds, on INBOX for a plain layout and on
 * {@code [Gmail]/All Mail} for the Gmail-like one; the message stays unseen. The appended
 * messages are deleted afterwards.
 */
class IdleWatcherDovecotTest {
    private static final long WAIT_MILLIS = 10_000;

    @RegisterExtension
    static final DovecotExtension DOVECOT = new DovecotExtension();

    private final List<String[]> appended = new ArrayList<>();
    private final BlockingQueue<Long> calls = new LinkedBlockingQueue<>();
    private IdleWatcher watcher;

    @AfterEach
    void cleanUp() throws MessagingException {
        if (watcher != null) {
            watcher.close();
        }
        for (String[] folderAndId : appended) {
            Folder folder = DOVECOT.admin(folderAndId[0]).getFolder(folderAndId[1]);
            folder.open(Folder.READ_WRITE);
            for (Message m : folder.search(new HeaderTerm("Message-ID", folderAndId[2]))) {
                m.setFlag(Flags.Flag.DELETED, true);
            }
            folder.close(true);
        }
    }

    private ImapAccount account(String id, String user) {
        return DOVECOT.account(user).id(id).build();
    }

    private IdleWatcher watcher() {
        return IdleWatcher.builder().onNewMail(id -> calls.add(System.nanoTime())).build();
    }

    /** APPENDs one message through the admin connection; returns its Message-ID. */
    private String append(String user, String folderName) throws MessagingException {
        String id = "<idle-" + UUID.randomUUID() + "@partner.example>";
        String raw = "From: Bob <bob@partner.example>\r\nTo: " + user + "\r\nSubject: idle test\r\n"
                + "Date: Mon, 2 Nov 2026 10:00:00 +0000\r\nMessage-ID: " + id + "\r\n\r\nbody\r\n";
        Folder folder = DOVECOT.admin(user).getFolder(folderName);
        folder.appendMessages(new Message[] {new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)))});
        appended.add(new String[] {user, folderName, id});
        return id;
    }

    private boolean seen(String user, String folderName, String id) throws MessagingException {
        Folder folder = DOVECOT.admin(user).getFolder(folderName);
        folder.open(Folder.READ_ONLY);
        try {
            Message[] found = folder.search(new HeaderTerm("Message-ID", id));
            assertThat(found).hasSize(1);
            return found[0].isSet(Flags.Flag.SEEN);
        } finally {
            folder.close(false);
        }
    }

    @Test
    void aMessageAppendedToTheInboxCallsBackWithinSecondsAndStaysUnseen() throws Exception {
        watcher = watcher();
        assertThat(watcher.watch(account("dovecot-idle", Dovecot.PLAIN_USER))).isTrue();

        long delivered = System.nanoTime();
        String id = append(Dovecot.PLAIN_USER, "INBOX");
        Long called = calls.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);

        assertThat(called).as("callback after APPEND").isNotNull();
        long latency = TimeUnit.NANOSECONDS.toMillis(called - delivered);
        System.out.println("IdleWatcherDovecotTest: APPEND to callback " + latency + " ms");
        assertThat(latency).isLessThan(5_000L);
        watcher.unwatch("dovecot-idle");
        assertThat(seen(Dovecot.PLAIN_USER, "INBOX", id)).isFalse();
    }

    @Test
    void onTheGmailLayoutAllMailIsWatched() throws Exception {
        watcher = watcher();
        assertThat(watcher.watch(account("dovecot-idle-gmail", Dovecot.GMAIL_USER))).isTrue();

        append(Dovecot.GMAIL_USER, "INBOX");           // not All Mail on Dovecot: no callback
        long delivered = System.nanoTime();
        String id = append(Dovecot.GMAIL_USER, "[Gmail]/All Mail");
        Long called = calls.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);

        assertThat(called).as("callback after APPEND to All Mail").isNotNull();
        System.out.println("IdleWatcherDovecotTest: APPEND to All Mail to callback "
                + TimeUnit.NANOSECONDS.toMillis(called - delivered) + " ms");
        watcher.close();
        assertThat(calls).isEmpty();
        assertThat(seen(Dovecot.GMAIL_USER, "[Gmail]/All Mail", id)).isFalse();
    }
}
