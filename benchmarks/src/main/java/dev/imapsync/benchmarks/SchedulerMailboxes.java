package dev.imapsync.benchmarks;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.schedule.AccountRepository;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.TestCertificates;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The mail the scheduler benchmark syncs: an in-process GreenMail over TLS with {@code accounts}
 * users of {@code messages} INBOX messages each (generated, seed 42: one to three participants of
 * which about half are contacts, 20% sent by the account itself, dates over the last 60 days so
 * that the engine's 90-day first-sync window takes them all), the {@link ManagedAccount}s that
 * point at them, and the {@link InMemoryContactMatcher} of the contacts.
 */
final class SchedulerMailboxes implements AutoCloseable {
    /** Contacts in the matcher; participants are drawn from twice as many addresses, so about half match. */
    static final int CONTACTS = 5_000;
    static final String FOLDER = "INBOX";

    private final GreenMailTls server;
    final List<ManagedAccount> accounts;
    final InMemoryContactMatcher matcher;
    final int messagesPerAccount;
    final Duration setupTime;

    private SchedulerMailboxes(GreenMailTls server, List<ManagedAccount> accounts, InMemoryContactMatcher matcher,
                               int messagesPerAccount, Duration setupTime) {
        this.server = server;
        this.accounts = accounts;
        this.matcher = matcher;
        this.messagesPerAccount = messagesPerAccount;
        this.setupTime = setupTime;
    }

    static SchedulerMailboxes start(int accountCount, int messages) {
        long started = System.nanoTime();
        GreenMailTls server = GreenMailTls.start(TestCertificates.localhost());
        String pem = TestCertificates.localhost().pem();
        SplittableRandom random = new SplittableRandom(42);
        Instant now = Instant.now();
        List<ManagedAccount> accounts = new ArrayList<>(accountCount);
        for (int a = 0; a < accountCount; a++) {
            String id = "acct-" + a;
            String login = "user" + a + "@bench.example";
            String password = "pw-" + a;
            GreenMailUser user = server.addUser(login, password);
            for (int m = 0; m < messages; m++) {
                Instant date = now.minusSeconds(60L * 60 * 24 * 60 * (messages - m) / (messages + 1) + random.nextInt(600));
                server.append(user, FOLDER, message(random, a, m, login, date), date);
            }
            accounts.add(ManagedAccount.of(ImapAccount.builder().id(id).emailAddress(login)
                            .endpoint(server.host(), server.imapsPort(), Security.SSL_TLS)
                            .password(login, password)
                            .trustCertificatePem(pem)
                            .build())
                    .withFolders(FolderChoice.named(List.of(FOLDER))));
            if ((a + 1) % 100 == 0) {
                System.out.printf("  mailboxes: %,d of %,d accounts (%,d messages) after %.1f s%n", a + 1, accountCount,
                        (long) (a + 1) * messages, (System.nanoTime() - started) / 1e9);
            }
        }
        InMemoryContactMatcher.Builder contacts = InMemoryContactMatcher.builder();
        for (int n = 0; n < CONTACTS; n++) {
            contacts.add(ContactRef.of("contact-" + n), List.of(MatchingData.addresses(n)));
        }
        return new SchedulerMailboxes(server, List.copyOf(accounts), contacts.build(), messages,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static final String[] SUBJECT = {"Re:", "Fwd:", "Invoice", "meeting", "tomorrow", "project", "update",
            "Angebot", "Rechnung", "Q3", "roadmap", "contract", "follow-up", "call", "offer", "next", "steps",
            "proposal", "budget", "review", "draft", "signed", "question", "order", "shipping"};

    private static String message(SplittableRandom random, int account, int number, String login, Instant date) {
        String[] participants = new String[1 + random.nextInt(3)];
        for (int i = 0; i < participants.length; i++) {
            participants[i] = MatchingData.addresses(random.nextInt(2 * CONTACTS))[0];
        }
        boolean sent = random.nextInt(10) < 2;
        StringBuilder m = new StringBuilder(700);
        m.append("From: ").append(sent ? login : "Someone <" + participants[0] + ">").append('\n');
        m.append("To: ").append(sent ? participants[0] : login).append('\n');
        if (participants.length > 1) {
            m.append("Cc: ");
            for (int i = 1; i < participants.length; i++) {
                m.append(i > 1 ? ", " : "").append(participants[i]);
            }
            m.append('\n');
        }
        m.append("Subject: ");
        int words = 2 + random.nextInt(7);
        for (int w = 0; w < words; w++) {
            m.append(w == 0 ? "" : " ").append(SUBJECT[random.nextInt(SUBJECT.length)]);
        }
        m.append('\n');
        m.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atZone(ZoneOffset.UTC))).append('\n');
        m.append("Message-ID: <").append(Long.toHexString(random.nextLong())).append('.').append(account).append('.')
                .append(number).append("@mail.bench.example>\n");
        if (number > 0 && random.nextBoolean()) {
            m.append("In-Reply-To: <ref.").append(account).append('.').append(number - 1).append("@mail.bench.example>\n");
        }
        m.append("\nHello,\nthis is message ").append(number).append(".\n");
        return m.toString();
    }

    /** The server the mailboxes are on (to deliver more mail, or to put a shaped link in front). */
    GreenMailTls server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }

    /**
     * A host application's account list held in memory: {@link #list()} hands out summaries made
     * once, {@link #find} is a map look-up, so that what is timed is the scheduler, not a
     * repository.
     */
    static final class Repository implements AccountRepository {
        private final List<AccountSummary> summaries;
        private final Map<String, ManagedAccount> byId;

        Repository(List<ManagedAccount> accounts) {
            List<AccountSummary> list = new ArrayList<>(accounts.size());
            Map<String, ManagedAccount> map = new HashMap<>(accounts.size() * 2);
            for (ManagedAccount m : accounts) {
                list.add(new AccountSummary(m.id(), m.account().emailAddress(), m.account().credentials().user(),
                        m.account().endpoint(), false, m.folders(), m.interval(), 1));
                map.put(m.id(), m);
            }
            list.sort(java.util.Comparator.comparing(AccountSummary::id));
            this.summaries = List.copyOf(list);
            this.byId = map;
        }

        @Override
        public List<AccountSummary> list() {
            return summaries;
        }

        @Override
        public Optional<ManagedAccount> find(String accountId) {
            return Optional.ofNullable(byId.get(accountId));
        }
    }
}
