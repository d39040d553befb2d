package dev.imapsync.content;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.MailProvider;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.folder.FolderRole;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.internal.mail.ConnectionFailure;
import dev.imapsync.internal.mail.FetchedMessage;
import dev.imapsync.internal.mail.FolderReader;
import dev.imapsync.internal.mail.MailboxConnection;
import dev.imapsync.internal.mail.MailboxFacts;
import dev.imapsync.internal.mail.MessageFolder;
import dev.imapsync.internal.message.HeaderParser;
import dev.imapsync.internal.message.MessageHeaders;
import dev.imapsync.message.MessageKey;
import dev.imapsync.store.TimelineEntry.Location;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds a message in an account's mailbox: first at each recorded location whose folder still
 * has the recorded UIDVALIDITY (when it was recorded as unknown, the message found there must
 * have the same key); then by {@code UID SEARCH} in the recorded folders and the account's
 * selected folders: {@code X-GM-MSGID} for a Gmail key, {@code HEADER Message-ID} for a
 * Message-ID key, each candidate checked against the key (a header search matches substrings).
 * A key made from a hash (a message without Message-ID) can only be found at its recorded place.
 */
final class MessageLocator {
    private final HeaderParser parser = HeaderParser.standard();
    private final MailboxConnection connection;
    private final ImapAccount account;
    private final Set<String> searched = new LinkedHashSet<>();
    private final int startBytes;

    /**
     * @param startBytes how many of the message's first bytes to fetch with its header fields
     *                   at a recorded location (in the same round trip; kept only when the
     *                   header fields show it is the message asked for)
     */
    MessageLocator(MailboxConnection connection, ImapAccount account, int startBytes) {
        this.connection = connection;
        this.account = account;
        this.startBytes = startBytes;
    }

    /**
     * Where the message was found: its folder, still open, for the caller to read and close.
     *
     * @param folder   the open folder
     * @param headers  its header fields, as the sync reads them
     * @param parsed   those fields parsed
     * @param location account, folder, UID and the folder's current UIDVALIDITY
     * @param peeked   what was read of the message with its header fields (its first bytes, at
     *                 a recorded location), for {@link MessageFolder#whole(long, int, MessageFolder.Peek)}
     */
    record Found(MessageFolder folder, FetchedMessage headers, MessageHeaders parsed, Location location,
                 MessageFolder.Peek peeked) {
    }

    /** The folders searched so far (display names), for the answer when the message is not found. */
    List<String> searched() {
        return List.copyOf(searched);
    }

    Optional<Found> locate(MessageKey key, List<Location> locations, FolderChoice choice) throws ConnectionFailure {
        Set<String> tried = new LinkedHashSet<>();
        for (Location location : locations) {
            if (!location.accountId().equals(account.id()) || !tried.add(location.folder())) {
                continue;
            }
            Optional<Found> found = inFolder(location.folder(), key, location);
            if (found.isPresent()) {
                return found;
            }
        }
        if (criteria(key).isEmpty()) {
            return Optional.empty(); // a hash key (or a Gmail key off Gmail) cannot be searched for
        }
        for (String folder : searchOrder(key, choice)) {
            if (tried.add(folder)) {
                Optional<Found> found = inFolder(folder, key, null);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** The account's selected folders, Gmail's All Mail first for a Gmail key (it holds every message). */
    private List<String> searchOrder(MessageKey key, FolderChoice choice) throws ConnectionFailure {
        List<MailFolder> listed = MailboxFacts.folders(connection.listFolders());
        MailProvider provider = MailboxFacts.provider(account, connection.endpoint(), connection.capabilities(),
                listed);
        List<String> names = new ArrayList<>();
        if (key.value().startsWith("gm:")) {
            listed.stream().filter(f -> f.hasRole(FolderRole.ALL)).forEach(f -> names.add(f.name()));
        }
        choice.resolve(listed, provider).folders().forEach(f -> names.add(f.name()));
        return names;
    }

    /** Looks in one folder: at the recorded UID when that is sound, else by search. */
    private Optional<Found> inFolder(String rawName, MessageKey key, Location recorded) throws ConnectionFailure {
        MessageFolder folder;
        try {
            folder = connection.examineMessages(MailFolder.decodeName(rawName));
        } catch (ConnectionFailure e) {
            if (FolderReader.isMissing(e)) {
                searched.add(MailFolder.displayNameOf(rawName) + " (gone)");
                return Optional.empty();
            }
            throw e;
        }
        searched.add(MailFolder.displayNameOf(rawName));
        boolean keep = false;
        try {
            long uidValidity = folder.uidValidity();
            if (recorded != null && (recorded.uidValidity() == 0 || recorded.uidValidity() == uidValidity)) {
                // the message's first bytes come in the same round trip as the header fields that
                // check it (pipelined); they are used only if the check below passes
                MessageFolder.Peek peek = folder.peek(recorded.uid(), startBytes);
                Optional<FetchedMessage> headers = peek.headers();
                // under the recorded UIDVALIDITY a UID is never reused: the message there is the one
                if (headers.isPresent() && (recorded.uidValidity() != 0 || keyOf(headers.get()).equals(key))) {
                    keep = true;
                    return Optional.of(found(folder, rawName, headers.get(), uidValidity, peek));
                }
                // not the message (or none there): the bytes that came with the check are dropped
            }
            Optional<String> criteria = criteria(key);
            if (criteria.isEmpty()) {
                return Optional.empty();
            }
            for (long uid : folder.search(criteria.get())) {
                Optional<FetchedMessage> headers = folder.headers(uid);
                if (headers.isPresent() && keyOf(headers.get()).equals(key)) {
                    keep = true;
                    return Optional.of(found(folder, rawName, headers.get(), uidValidity, MessageFolder.Peek.nothing()));
                }
            }
            return Optional.empty();
        } finally {
            if (!keep) {
                folder.close();
            }
        }
    }

    private Found found(MessageFolder folder, String rawName, FetchedMessage headers, long uidValidity,
                        MessageFolder.Peek peeked) {
        return new Found(folder, headers, parse(headers),
                new Location(account.id(), rawName, headers.uid(), uidValidity), peeked);
    }

    /**
     * The search that finds the message by its key: {@code X-GM-MSGID} for a Gmail key (where the
     * server is Gmail), {@code HEADER Message-ID} for a Message-ID key that can be written as an
     * IMAP quoted string; none for a hash key.
     */
    private Optional<String> criteria(MessageKey key) {
        String value = key.value();
        if (value.startsWith("gm:")) {
            return connection.hasCapability("X-GM-EXT-1") ? Optional.of("X-GM-MSGID " + value.substring(3))
                    : Optional.empty();
        }
        if (value.startsWith("mid:")) {
            String id = value.substring(4);
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                if (c < 0x20 || c > 0x7e) {
                    return Optional.empty(); // a quoted string carries printable ASCII only
                }
            }
            return Optional.of("HEADER Message-ID \"" + id.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        return Optional.empty();
    }

    MessageHeaders parse(FetchedMessage m) {
        return parser.parse(m.headers(), m.headerOffset(), m.headerLength());
    }

    /** The key the sync gives a message with these fields (the same rules as the engine's). */
    MessageKey keyOf(FetchedMessage m) {
        if (m.gmailMessageId() >= 0) {
            return MessageKey.ofGmailId(m.gmailMessageId());
        }
        MessageHeaders h = parse(m);
        if (h.messageId().isPresent() && !h.messageId().get().isEmpty()) {
            return MessageKey.ofMessageId(h.messageId().get());
        }
        String from = h.from().isEmpty() ? "" : h.from().get(0).normalized();
        return MessageKey.ofContent(date(h, m), from, h.subject(), Math.max(0, m.size()));
    }

    /** The Date header, else INTERNALDATE, else the epoch: as the engine dates a message. */
    static Instant date(MessageHeaders h, FetchedMessage m) {
        if (h.date().isPresent()) {
            return h.date().get();
        }
        return m.internalDateMillis() >= 0 ? Instant.ofEpochMilli(m.internalDateMillis()) : Instant.EPOCH;
    }
}
