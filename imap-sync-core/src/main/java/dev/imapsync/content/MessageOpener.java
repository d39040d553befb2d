package dev.imapsync.content;

import dev.imapsync.Failure;
import dev.imapsync.FailureKind;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.MailProvider;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.internal.mail.ConnectionFailure;
import dev.imapsync.internal.mail.FolderReader;
import dev.imapsync.internal.mail.MailboxConnection;
import dev.imapsync.internal.mail.MailboxConnector;
import dev.imapsync.internal.mail.MailboxFacts;
import dev.imapsync.internal.mail.MessageFolder;
import dev.imapsync.internal.mail.MimeBody;
import dev.imapsync.internal.message.MessageHeaders;
import dev.imapsync.internal.transport.Classified;
import dev.imapsync.internal.transport.Failures;
import dev.imapsync.internal.transport.SocketDeadline;
import dev.imapsync.message.MessageKey;
import dev.imapsync.policy.Visibility;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelineEntry.Location;
import jakarta.mail.Message;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens one email on demand, live from its mailbox, read-only: the folder is opened with
 * EXAMINE and every fetch is a {@code BODY.PEEK}, so no flag changes ({@code \Seen} stays as it
 * was). It connects as the sync engine does (the account's TLS settings and timeouts, one login),
 * for at most {@link Builder#maxDuration}.
 *
 * <p><b>Finding the message.</b> First at each of the timeline's locations of this account whose
 * folder still has the recorded UIDVALIDITY (a location recorded with UIDVALIDITY 0, unknown, is
 * accepted when the message there has the same key); then, when the message moved or the folder
 * was recreated, by {@code UID SEARCH HEADER Message-ID} (on Gmail {@code X-GM-MSGID}) in the
 * recorded folders and the account's selected folders. When it is nowhere, the answer is
 * {@link OpenResult.Gone}, a sentence to show, not an error.
 *
 * <p><b>Reading it.</b> A message of at most {@link Builder#maxMessageBytes} is fetched whole and
 * parsed by Jakarta Mail. At a recorded location its first megabyte is asked for together with
 * the header fields that check it (two commands written back to back, one round trip), and kept
 * only if the check passes; the folder's CLOSE is not waited for, as LOGOUT follows. So an email
 * of up to a megabyte at its recorded place waits for two round trips after login: EXAMINE, then
 * both fetches. A message larger than the cap is read from its BODYSTRUCTURE, fetching only its text parts
 * and small inline images, never its attachments. Each text part is read up to
 * {@link Builder#maxTextBytes}. The HTML is sanitized by an allowlist (jsoup's {@code Safelist}):
 * no script, style, event handler, form, frame, SVG or {@code javascript:} link; links get
 * {@code rel="noopener noreferrer nofollow"}; {@code cid:} images of the message become
 * {@code data:} URIs up to {@link Builder#maxInlineImageBytes} each (larger ones keep their
 * {@code cid:} address and get a {@code data-part} attribute with the part number, to serve with
 * {@link #attachment}); remote images are not loaded unless {@link Builder#remoteImages} allows
 * them: their address moves to {@code data-remote-src} and {@link MessageContent#remoteImagesBlocked()}
 * counts them.
 *
 * <p><b>Visibility.</b> An account whose {@link dev.imapsync.policy.PrivacySettings#visibility()}
 * is not {@link Visibility#FULL} has its mail neither opened nor its attachments read: the
 * answer is {@link OpenResult.Refused}, naming the account and the setting, without connecting.
 *
 * <p>Immutable and thread-safe; each call uses a connection of its own.
 */
public final class MessageOpener {
    private static final Logger LOG = LoggerFactory.getLogger(MessageOpener.class);
    /**
     * How much of a message is fetched with the header fields that check it, in the same round
     * trip: most emails without attachments fit, so they cost no round trip more; of a larger one
     * only the rest is fetched after. Wasted only when the check fails (the message at the
     * recorded place is not the one asked for) or the message is read part by part.
     */
    private static final int START_BYTES = 1 << 20;

    private final int maxMessageBytes;
    private final int maxTextBytes;
    private final int maxInlineImageBytes;
    private final long maxInlineTotalBytes;
    private final Duration maxDuration;
    private final boolean remoteImages;

    private MessageOpener(Builder b) {
        this.maxMessageBytes = b.maxMessageBytes;
        this.maxTextBytes = b.maxTextBytes;
        this.maxInlineImageBytes = b.maxInlineImageBytes;
        this.maxInlineTotalBytes = b.maxInlineTotalBytes;
        this.maxDuration = b.maxDuration;
        this.remoteImages = b.remoteImages;
    }

    /** An opener with the defaults: 16 MiB whole messages, remote images not loaded, 60 s per call. */
    public static MessageOpener standard() {
        return builder().build();
    }

    /** A builder with the defaults of {@link #standard()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** An opener like this one that loads remote images or not (a page's "show images"). */
    public MessageOpener withRemoteImages(boolean allowed) {
        Builder b = new Builder();
        b.maxMessageBytes = maxMessageBytes;
        b.maxTextBytes = maxTextBytes;
        b.maxInlineImageBytes = maxInlineImageBytes;
        b.maxInlineTotalBytes = maxInlineTotalBytes;
        b.maxDuration = maxDuration;
        b.remoteImages = allowed;
        return b.build();
    }

    /**
     * Opens a message, searching the account's recommended folders when it is not at a recorded
     * location.
     *
     * @see #open(ImapAccount, FolderChoice, MessageKey, List)
     */
    public OpenResult<MessageContent> open(ImapAccount account, MessageKey key, List<Location> locations) {
        return open(account, FolderChoice.recommended(), key, locations);
    }

    /**
     * Opens a message of the account.
     *
     * @param choice    the account's folder choice: where to search when the message is not at a
     *                  recorded location
     * @param key       the message's key ({@link TimelineEntry#messageKey()})
     * @param locations where it was recorded ({@link TimelineEntry#locations()}); those of other
     *                  accounts are ignored
     * @return the content; {@link OpenResult.Gone} when it is no longer in the mailbox;
     *         {@link OpenResult.Refused} when the account's visibility is not FULL;
     *         {@link OpenResult.Failed} when the mailbox could not be read
     * @throws NullPointerException if an argument is null
     */
    public OpenResult<MessageContent> open(ImapAccount account, FolderChoice choice, MessageKey key,
                                           List<Location> locations) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(key, "key");
        List<Location> recorded = List.copyOf(locations);
        Optional<OpenResult<MessageContent>> refused = refusedByVisibility(account, "open its emails");
        if (refused.isPresent()) {
            return refused.get();
        }
        SocketDeadline deadline = SocketDeadline.at(System.nanoTime() + maxDuration.toNanos());
        boolean loggedIn = false;
        try (deadline; MailboxConnection connection = MailboxConnector.forAccount(account).open(deadline)) {
            loggedIn = true;
            MessageLocator locator = new MessageLocator(connection, account, Math.min(maxMessageBytes, START_BYTES));
            Optional<MessageLocator.Found> found = locator.locate(key, recorded, choice);
            if (found.isEmpty()) {
                return new OpenResult.Gone<>(gone(account, key, recorded, locator.searched()));
            }
            MessageFolder folder = found.get().folder();
            try {
                return read(account, key, found.get(), folder, locator);
            } finally {
                folder.closeBeforeLogout(); // LOGOUT follows: neither answer is waited for
            }
        } catch (ConnectionFailure e) {
            return new OpenResult.Failed<>(failure(account, e.onSyncConnection(loggedIn), deadline,
                    "opening email " + key + ": "));
        }
    }

    private OpenResult<MessageContent> read(ImapAccount account, MessageKey key, MessageLocator.Found found,
                                            MessageFolder folder, MessageLocator locator) throws ConnectionFailure {
        long uid = found.location().uid();
        Optional<? extends Message> message = Optional.empty();
        if (found.headers().size() <= maxMessageBytes) {
            try {
                message = folder.whole(uid, maxMessageBytes, found.peeked());
            } catch (MessageFolder.TooLarge e) {
                // the server's RFC822.SIZE said less than it sent: read it part by part instead
                message = folder.lazy(uid);
            }
        } else {
            message = folder.lazy(uid);
        }
        if (message.isEmpty()) {
            return new OpenResult.Gone<>("The email " + key + " was deleted from folder "
                    + MailFolder.displayNameOf(found.location().folder()) + " of account " + account.id()
                    + " while it was being opened. It stays on the timeline.");
        }
        MimeBody body = MimeBody.read(message.get(),
                new MimeBody.Limits(maxTextBytes, maxInlineImageBytes, maxInlineTotalBytes, 1_000));
        MessageHeaders h = found.parsed();
        String text = body.text().orElse("");
        Optional<String> html = Optional.empty();
        int blocked = 0;
        if (body.html().isPresent()) {
            HtmlSanitizer.Sanitized clean = HtmlSanitizer.sanitize(body.html().get(), body.inline(), remoteImages);
            html = Optional.of(clean.html());
            blocked = clean.remoteImagesBlocked();
            if (body.text().isEmpty()) {
                text = HtmlText.of(body.html().get());
            }
        }
        LOG.debug("account {}: opened {} in {} UID {}", account.id(), key, found.location().folder(), uid);
        return new OpenResult.Opened<>(new MessageContent(key, h.subject(), h.from(), h.to(), h.cc(),
                MessageLocator.date(h, found.headers()), text, html, body.attachments(), found.location(), blocked,
                body.warnings()));
    }

    /**
     * Refuses, without connecting, for an account whose visibility keeps less than everything
     * ({@link Visibility#FULL}): its mail's content is not shown, not even live from the mailbox.
     */
    private static <T> Optional<OpenResult<T>> refusedByVisibility(ImapAccount account, String what) {
        Visibility visibility = account.privacy().visibility();
        if (visibility.keepsContent()) {
            return Optional.empty();
        }
        return Optional.of(new OpenResult.Refused<>("Account " + account.id() + " is set to visibility "
                + visibility + " (" + (visibility == Visibility.METADATA ? "date and participants only"
                : "subjects, no content") + "), so imap-sync does not " + what + ". To allow it, set the account's"
                + " visibility to FULL (PrivacySettings.withVisibility, or --visibility full)."));
    }

    /**
     * Streams one attachment (or any part) of a message, decoded, into {@code out}.
     *
     * @param location where the message is: {@link MessageContent#location()} of the opened message
     *                 (a location with UIDVALIDITY 0 is taken as it is)
     * @param part     the part number, {@link dev.imapsync.message.Attachment#part()}
     * @param maxBytes the most bytes to write: a part whose size says it is larger is refused
     *                 before a byte is written; one that turns out larger is cut there and refused
     * @return the bytes written; {@link OpenResult.Refused} when the part is larger than
     *         {@code maxBytes} or the message has no such part, or the account's visibility is not FULL; {@link OpenResult.Gone} when the
     *         message or its folder is gone (or the folder was recreated: open the email again);
     *         {@link OpenResult.Failed} when the mailbox could not be read
     * @throws UncheckedIOException when writing to {@code out} fails
     * @throws IllegalArgumentException if {@code maxBytes} is below 1 or the location is of another account
     */
    public OpenResult<Long> attachment(ImapAccount account, Location location, String part, OutputStream out,
                                       long maxBytes) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(part, "part");
        Objects.requireNonNull(out, "out");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes is " + maxBytes + ": give the most bytes to write, 1 or more");
        }
        if (!location.accountId().equals(account.id())) {
            throw new IllegalArgumentException("The location is of account " + location.accountId()
                    + ", not of account " + account.id());
        }
        Optional<OpenResult<Long>> refused = refusedByVisibility(account, "read its attachments");
        if (refused.isPresent()) {
            return refused.get();
        }
        if (!part.matches("[1-9][0-9]{0,4}(\\.[1-9][0-9]{0,4}){0,31}")) {
            return new OpenResult.Refused<>("'" + part + "' is not a part number (such as 2 or 1.3): take it from the"
                    + " attachment list of the opened email");
        }
        String folderName = MailFolder.displayNameOf(location.folder());
        SocketDeadline deadline = SocketDeadline.at(System.nanoTime() + maxDuration.toNanos());
        boolean loggedIn = false;
        try (deadline; MailboxConnection connection = MailboxConnector.forAccount(account).open(deadline)) {
            loggedIn = true;
            MessageFolder folder;
            try {
                folder = connection.examineMessages(MailFolder.decodeName(location.folder()));
            } catch (ConnectionFailure e) {
                if (FolderReader.isMissing(e)) {
                    return new OpenResult.Gone<>("Folder " + folderName + " of account " + account.id()
                            + " no longer exists: open the email again to find where it is now.");
                }
                throw e;
            }
            try {
                if (location.uidValidity() != 0 && folder.uidValidity() != location.uidValidity()) {
                    return new OpenResult.Gone<>("Folder " + folderName + " of account " + account.id()
                            + " was recreated since the email was opened (its UIDVALIDITY changed): open the email"
                            + " again to find where it is now.");
                }
                long written = folder.copyPart(location.uid(), part, out, maxBytes);
                if (written == -1) {
                    return new OpenResult.Gone<>("The email (UID " + location.uid() + ") is no longer in folder "
                            + folderName + " of account " + account.id() + ": open it again to find where it is now.");
                }
                if (written == -2) {
                    return new OpenResult.Refused<>("The email (UID " + location.uid() + " in folder " + folderName
                            + ") has no part " + part + ": take the part number from its attachment list.");
                }
                return new OpenResult.Opened<>(written);
            } catch (MessageFolder.TooLarge e) {
                return new OpenResult.Refused<>("Part " + part + " of the email (UID " + location.uid() + " in folder "
                        + folderName + ") has at least " + e.size() + " bytes, more than the cap of " + maxBytes
                        + " bytes: nothing beyond the cap was written. Allow more bytes to save it.");
            } catch (IOException e) {
                throw new UncheckedIOException("Writing part " + part + " of the email (UID " + location.uid()
                        + " in folder " + folderName + ") failed: " + e.getMessage(), e);
            } finally {
                folder.closeBeforeLogout(); // LOGOUT follows: neither answer is waited for
            }
        } catch (ConnectionFailure e) {
            return new OpenResult.Failed<>(failure(account, e.onSyncConnection(loggedIn), deadline,
                    "reading part " + part + " of UID " + location.uid() + " in folder " + folderName + ": "));
        }
    }

    private Failure failure(ImapAccount account, Classified c, SocketDeadline deadline, String where) {
        if (deadline.expired()) {
            return Failures.describeWithHint(FailureKind.TIMEOUT, where + "no answer within " + maxDuration.toSeconds()
                    + " s", account, account.endpoint(), "The server is slow or unreachable: try again later;"
                    + " a larger message may need a longer maxDuration.");
        }
        MailProvider provider = MailboxFacts.provider(account, account.endpoint(), List.of(), List.of());
        return Failures.describe(c.kind(), where + c.detail(), account, account.endpoint(), provider);
    }

    private static String gone(ImapAccount account, MessageKey key, List<Location> recorded, List<String> searched) {
        StringBuilder out = new StringBuilder("This email is no longer in the mailbox of account ")
                .append(account.id()).append(": it is not where it was recorded");
        List<Location> own = recorded.stream().filter(l -> l.accountId().equals(account.id())).toList();
        if (!own.isEmpty()) {
            out.append(" (");
            for (int i = 0; i < own.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(MailFolder.displayNameOf(own.get(i).folder())).append(" UID ")
                        .append(own.get(i).uid());
            }
            out.append(')');
        }
        if (key.value().startsWith("h:")) {
            out.append(", and having no Message-ID it cannot be searched for");
        } else {
            out.append(" nor, by its ").append(key.value().startsWith("gm:") ? "Gmail id" : "Message-ID")
                    .append(", in ").append(searched.isEmpty() ? "any folder" : String.join(", ", searched));
        }
        return out.append(". It was deleted or moved to a folder that is not synced; it stays on the timeline.")
                .toString();
    }

    @Override
    public String toString() {
        return "MessageOpener[maxMessageBytes=" + maxMessageBytes + ", remoteImages=" + remoteImages + "]";
    }

    /** Settings of a {@link MessageOpener}; each is validated when set. */
    public static final class Builder {
        private int maxMessageBytes = 16 << 20;
        private int maxTextBytes = 4 << 20;
        private int maxInlineImageBytes = 512 << 10;
        private long maxInlineTotalBytes = 4 << 20;
        private Duration maxDuration = Duration.ofSeconds(60);
        private boolean remoteImages;

        private Builder() {
        }

        /**
         * The largest message fetched whole (default 16 MiB); a larger one is read part by part,
         * its attachments not at all.
         *
         * @throws IllegalArgumentException if below 1 KiB
         */
        public Builder maxMessageBytes(int bytes) {
            this.maxMessageBytes = atLeast(bytes, 1024, "maxMessageBytes");
            return this;
        }

        /** The most bytes read of each text part (default 4 MiB); the rest is cut, with a warning. */
        public Builder maxTextBytes(int bytes) {
            this.maxTextBytes = atLeast(bytes, 1024, "maxTextBytes");
            return this;
        }

        /** The largest inline image embedded as a {@code data:} URI (default 512 KiB; 0 embeds none). */
        public Builder maxInlineImageBytes(int bytes) {
            this.maxInlineImageBytes = atLeast(bytes, 0, "maxInlineImageBytes");
            return this;
        }

        /** The most bytes of inline images embedded in one message (default 4 MiB). */
        public Builder maxInlineTotalBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxInlineTotalBytes is " + bytes + ": give 0 or more");
            }
            this.maxInlineTotalBytes = bytes;
            return this;
        }

        /** How long one call may take, connecting included (default 60 s). */
        public Builder maxDuration(Duration duration) {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("maxDuration is " + duration + ": give a positive duration");
            }
            this.maxDuration = duration;
            return this;
        }

        /** Whether the HTML keeps remote images' addresses, so that a browser loads them (default false). */
        public Builder remoteImages(boolean allowed) {
            this.remoteImages = allowed;
            return this;
        }

        /** Makes the opener. */
        public MessageOpener build() {
            return new MessageOpener(this);
        }

        private static int atLeast(int value, int least, String name) {
            if (value < least) {
                throw new IllegalArgumentException(name + " is " + value + ": give at least " + least);
            }
            return value;
        }
    }
}
