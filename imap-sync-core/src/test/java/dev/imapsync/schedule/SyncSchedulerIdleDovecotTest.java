package dev.imapsync.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.contact.ContactActivity;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.schedule.PassReport.AccountOutcome;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.store.InMemorySyncStore;
import dev.imapsync.sync.SyncEngine;
import dev.imapsync.testing.Dovecot;
import dev.imapsync.testing.DovecotExtension;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.search.HeaderTerm;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scheduler with IDLE on, against a real Dovecot, on the real clock with an interval of an
 * hour: a message APPENDed after the first sync is in the contact's history within seconds. The
 * appended message is deleted afterwards.
 */
class SyncSchedulerIdleDovecotTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final DovecotExtension DOVECOT = new DovecotExtension();

    private final InMemorySyncStore store = new InMemorySyncStore();
    private final InMemoryAccountRepository repository = new InMemoryAccountRepository();
    private final String sender = "idle-" + UUID.randomUUID() + "@partner.example";
    private SyncScheduler scheduler;
    private String appended;

    @AfterEach
    void cleanUp() throws MessagingException {
        if (scheduler != null) {
            scheduler.close();
        }
        if (appended != null) {
            Folder inbox = DOVECOT.admin().getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            for (Message m : inbox.search(new HeaderTerm("Message-ID", appended))) {
                m.setFlag(Flags.Flag.DELETED, true);
            }
            inbox.close(true);
        }
    }

    @Test
    void aMessageAppendedAfterTheFirstSyncIsInHistoryWithinSeconds() throws Exception {
        repository.put(ManagedAccount.of(DOVECOT.account(Dovecot.PLAIN_USER).id("dovecot-idle-scheduler").build())
                .withFolders(FolderChoice.named(List.of("INBOX"))));
        CountDownLatch firstSync = new CountDownLatch(1);
        scheduler = SyncScheduler.builder()
                .accounts(repository)
                .engine(SyncEngine.builder().store(store)
                        .contactMatcher(InMemoryContactMatcher.builder().add("c-1", sender).build()).build())
                .nodeId("idle-dovecot-node")
                .defaultInterval(Duration.ofHours(1))
                .shutdownTimeout(Duration.ofSeconds(5))
                .idle(true)
                .listener(new SchedulerListener() {
                    @Override
                    public void accountFinished(AccountOutcome outcome, ScheduleState next) {
                        firstSync.countDown();
                    }
                })
                .build();
        scheduler.start();
        scheduler.syncNow("dovecot-idle-scheduler");
        assertThat(firstSync.await(60, TimeUnit.SECONDS)).as("the first sync ends").isTrue();
        assertThat(scheduler.idleWatching("dovecot-idle-scheduler")).isTrue();
        assertThat(store.history("c-1", 10)).isEmpty();

        long delivered = System.nanoTime();
        appended = append();

        SyncSchedulerIdleGreenMailTest.await(() -> store.history("c-1", 10).stream()
                .map(ContactActivity::subject).anyMatch("idle scheduler test"::equals), "the message is in history");
        System.out.println("SyncSchedulerIdleDovecotTest: APPEND to history "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - delivered) + " ms");
    }

    /** APPENDs one message to the INBOX through a second connection; returns its Message-ID. */
    private String append() {
        String id = "<idle-" + UUID.randomUUID() + "@partner.example>";
        String raw = "From: Bob <" + sender + ">\r\nTo: " + Dovecot.PLAIN_USER + "\r\nSubject: idle scheduler test\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()) + "\r\n"
                + "Message-ID: " + id + "\r\n\r\nbody\r\n";
        DOVECOT.append("INBOX", raw);
        return id;
    }
}
