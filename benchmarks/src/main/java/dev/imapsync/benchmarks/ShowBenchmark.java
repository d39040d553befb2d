package dev.imapsync.benchmarks;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.content.MessageContent;
import dev.imapsync.content.MessageOpener;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.message.MessageKey;
import dev.imapsync.store.TimelineEntry.Location;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.BodyPart;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Opening one 50 KB email ({@code show}): {@link MessageOpener#open} (connect, login, EXAMINE,
 * the header fields to check the key, the whole message, MIME parsing, HTML sanitizing) against
 * the baseline a hand-written Jakarta Mail client does for the same email: connect, login,
 * EXAMINE, fetch the message by UID ({@code BODY.PEEK[]} in one piece), parse it and read its
 * text and HTML parts. Both connect anew each time, as opening an email from a contact page does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ShowBenchmark {
    private static final String BASELINE = "jakartaMailFetch";

    private ProbeTarget target;
    private Session session;
    private String folderName;
    private ImapAccount account;
    private MessageKey key;
    private List<Location> locations;
    private long uid;
    private MessageOpener opener;
    /** The size of the message as stored. */
    int size;

    @Setup(Level.Trial)
    public void start() throws Exception {
        target = ProbeTarget.start();
        Properties props = new Properties();
        props.put("mail.imaps.ssl.socketFactory", target.trustingSocketFactory());
        props.put("mail.imaps.ssl.checkserveridentity", "true");
        props.put("mail.imaps.connectiontimeout", "10000");
        props.put("mail.imaps.timeout", "30000");
        props.put("mail.imaps.peek", "true");
        props.put("mail.imaps.partialfetch", "false");
        session = Session.getInstance(props);
        folderName = "bench-show-" + UUID.randomUUID().toString().substring(0, 8);
        String messageId = folderName + "@bench.example";
        byte[] raw = message(messageId);
        size = raw.length;
        Store store = connect();
        try {
            Folder folder = store.getFolder(folderName);
            folder.create(Folder.HOLDS_MESSAGES);
            folder.open(Folder.READ_WRITE);
            Message[] appended = ((IMAPFolder) folder).addMessages(new Message[] {
                new MimeMessage(session, new ByteArrayInputStream(raw))});
            uid = ((UIDFolder) folder).getUID(appended[0]);
            long uidValidity = ((UIDFolder) folder).getUIDValidity();
            folder.close(false);
            account = target.account(Security.SSL_TLS).toBuilder().id("bench").build();
            key = MessageKey.ofMessageId(messageId);
            locations = List.of(new Location("bench", folderName, uid, uidValidity));
        } finally {
            store.close();
        }
        opener = MessageOpener.standard();
        MessageContent check = show();
        if (check.text().isEmpty() || check.html().isEmpty() || check.attachments().size() != 2) {
            stop(); // JMH tears down nothing when the setup fails
            throw new IllegalStateException("show did not read the benchmark's email: " + check.attachments());
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws MessagingException {
        Store store = connect();
        try {
            Folder folder = store.getFolder(folderName);
            if (folder.exists()) {
                folder.delete(true);
            }
        } finally {
            store.close();
            target.close();
        }
    }

    private Store connect() throws MessagingException {
        Store store = session.getStore("imaps");
        try {
            store.connect(target.host, target.tlsPort, target.user, target.password);
        } catch (AuthenticationFailedException e) {
            throw new IllegalStateException("the benchmark server refused the login", e);
        }
        return store;
    }

    /** Baseline: Jakarta Mail connects, EXAMINEs, fetches the message whole, parses it, reads its text and HTML. */
    @Benchmark
    public int jakartaMailFetch() throws MessagingException, IOException {
        Store store = connect();
        try {
            IMAPFolder folder = (IMAPFolder) store.getFolder(folderName);
            folder.open(Folder.READ_ONLY);
            Message m = folder.getMessageByUID(uid);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
            m.writeTo(bytes);
            MimeMessage parsed = new MimeMessage(session, new ByteArrayInputStream(bytes.toByteArray()));
            int read = texts(parsed);
            folder.close(false);
            return read;
        } finally {
            store.close();
        }
    }

    private static int texts(Part part) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            int n = 0;
            for (int i = 0; i < mp.getCount(); i++) {
                n += texts(mp.getBodyPart(i));
            }
            return n;
        }
        return part.isMimeType("text/*") ? ((String) part.getContent()).length() : 0;
    }

    /** {@code show}: the email opened by {@link MessageOpener}, found at its recorded location. */
    @Benchmark
    public MessageContent show() {
        return opener.open(account, FolderChoice.named(List.of(folderName)), key, locations).orElseThrow();
    }

    /** About 50 KB: a text part, an HTML part with a remote and an inline image, a PDF. */
    static byte[] message(String messageId) throws MessagingException, IOException {
        Random random = new Random(50);
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder("<html><body>");
        while (text.length() < 9_000) {
            String sentence = "Sentence " + random.nextInt(100_000) + " of the offer, with figures and terms. ";
            text.append(sentence).append(random.nextInt(8) == 0 ? "\n\n" : "");
            html.append("<p style=\"color:#333\" onclick=\"track()\">").append(sentence)
                    .append("<a href=\"https://acme.example/p/").append(random.nextInt(1000)).append("\">link</a></p>");
        }
        html.append("<img src=\"https://tracker.example/p.gif\"><img src=\"cid:logo@bench.example\"></body></html>");
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties())) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<" + messageId + ">");
            }
        };
        m.setFrom(new InternetAddress("ann@client.example"));
        m.setRecipients(Message.RecipientType.TO, "sam@acme.example");
        m.setSubject("The offer, in full");
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(text.toString(), "UTF-8");
        alternative.addBodyPart(plain);
        MimeBodyPart rich = new MimeBodyPart();
        rich.setText(html.toString(), "UTF-8", "html");
        alternative.addBodyPart(rich);
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(alternative);
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(body);
        byte[] logo = new byte[2_000];
        random.nextBytes(logo);
        mixed.addBodyPart(binary(logo, "image/png", "logo.png", "<logo@bench.example>"));
        byte[] pdf = new byte[14_000];
        random.nextBytes(pdf);
        BodyPart attachment = binary(pdf, "application/pdf", "offer.pdf", null);
        attachment.setDisposition(Part.ATTACHMENT);
        mixed.addBodyPart(attachment);
        m.setContent(mixed);
        m.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    private static MimeBodyPart binary(byte[] bytes, String type, String name, String contentId)
            throws MessagingException {
        MimeBodyPart p = new MimeBodyPart();
        p.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(bytes, type)));
        p.setFileName(name);
        if (contentId != null) {
            p.setContentID(contentId);
            p.setDisposition(Part.INLINE);
        }
        return p;
    }

    /** Runs both cases and prints each as a ratio to the baseline measured in the same run. */
    static void run(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(ShowBenchmark.class.getSimpleName()).build()).run();
        double baseline = Double.NaN;
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("." + BASELINE)) {
                baseline = r.getPrimaryResult().getScore();
            }
        }
        System.out.printf("%nshow of a %,d-byte email against %s%n", message("size@bench.example").length,
                System.getenv("IMAPSYNC_TEST_DOVECOT") == null ? "GreenMail (in-process)" : "Dovecot");
        System.out.printf("%-20s %10s %10s %10s%n", "case", "ms/op", "error", "x baseline");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            double score = r.getPrimaryResult().getScore();
            System.out.printf("%-20s %10.2f %10.2f %10.2f%n", name, score, r.getPrimaryResult().getScoreError(),
                    score / baseline);
        }
    }
}
