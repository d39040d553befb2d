package dev.imapsync.internal.mail;

import dev.imapsync.FailureKind;
import dev.imapsync.internal.transport.Classified;
import dev.imapsync.internal.transport.FailureClassifier;
import dev.imapsync.internal.transport.ServerText;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongToIntFunction;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.ParsingException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.ResyncData;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;

/**
 * Reads one folder, read-only: EXAMINE, a UID SEARCH that keeps only its minimum and count,
 * and UID FETCH of header fields streamed response by response (never collected into an array
 * of the whole answer), so memory stays flat whatever the folder's size.
 */
public final class FolderReader implements AutoCloseable {
    /** The header fields a sync reads. */
    public static final String HEADER_FIELDS = "FROM TO CC BCC REPLY-TO SENDER DATE SUBJECT MESSAGE-ID"
            + " IN-REPLY-TO REFERENCES";
    private static final DateTimeFormatter SEARCH_DATE = DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ENGLISH);

    private final IMAPFolder folder;
    private final String name;
    private final boolean gmail;
    private final boolean objectId;
    private boolean binary;
    private final List<String> problems = new ArrayList<>();
    private int unreadable;

    /**
     * What was wrong with the last fetchHeaders answer, one warning each: a tagged NO after
     * some data (the rest was skipped), FETCH responses that could not be read, UIDs the server
     * named without their header fields. Empty when all was well.
     */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** How many messages the last fetchHeaders answer named but did not deliver readably. */
    public int unreadable() {
        return unreadable;
    }

    private FolderReader(IMAPFolder folder, String name, boolean gmail, boolean objectId) {
        this.folder = folder;
        this.name = name;
        this.gmail = gmail;
        this.objectId = objectId;
    }

    /**
     * EXAMINEs a folder (read-only: flags never change).
     *
     * @param decodedName the folder's name as Jakarta Mail wants it (modified UTF-7 decoded)
     * @throws ConnectionFailure FOLDER_MISSING-like failures come as PROTOCOL_ERROR with a clear detail;
     *                           use {@link #isMissing(ConnectionFailure)} to tell them apart
     */
    static FolderReader examine(GuardedImapStore store, String decodedName, boolean condstore, boolean gmail,
                                boolean objectId, boolean binary) throws ConnectionFailure {
        try {
            IMAPFolder folder = (IMAPFolder) store.getFolder(decodedName);
            if (condstore) {
                folder.open(Folder.READ_ONLY, ResyncData.CONDSTORE);
            } else {
                folder.open(Folder.READ_ONLY);
            }
            FolderReader reader = new FolderReader(folder, decodedName, gmail, objectId);
            reader.binary = binary;
            return reader;
        } catch (FolderNotFoundException e) {
            throw new ConnectionFailure(new Classified(FailureKind.PROTOCOL_ERROR, MISSING + decodedName, e));
        } catch (MessagingException e) {
            if (e.getNextException() == null && e.getCause() == null && e.getMessage() != null
                    && e.getMessage().toUpperCase(Locale.ROOT).contains("NONEXISTENT")) {
                throw new ConnectionFailure(new Classified(FailureKind.PROTOCOL_ERROR, MISSING + decodedName, e));
            }
            throw new ConnectionFailure(FailureClassifier.classify(e, "opening folder " + decodedName));
        }
    }

    private static final String MISSING = "the folder does not exist: ";

    /** Whether the failure says the folder does not exist (it may have been deleted or renamed). */
    public static boolean isMissing(ConnectionFailure failure) {
        return failure.classified().detail().startsWith(MISSING);
    }

    /** The open folder, for {@link MessageFolder}, which reads whole messages and parts of it. */
    IMAPFolder folder() {
        return folder;
    }

    /** What EXAMINE reported. */
    public FolderState state() throws ConnectionFailure {
        try {
            long modseq = -1;
            try {
                modseq = folder.getHighestModSeq();
            } catch (MessagingException e) {
                modseq = -1; // the server does not do CONDSTORE: no modseq to record
            }
            // a server that sends no UIDVALIDITY (Angus says -1) is taken like one that sends 0 (iCloud)
            long uidValidity = Math.max(0, folder.getUIDValidity());
            return new FolderState(uidValidity, folder.getUIDNext(), folder.getMessageCount(), modseq);
        } catch (MessagingException e) {
            throw new ConnectionFailure(FailureClassifier.classify(e, "reading the state of folder " + name));
        }
    }

    /**
     * {@code UID SEARCH SINCE date}, keeping only the smallest UID and the count.
     *
     * @return {min, count}; min is -1 when nothing matched
     */
    public long[] searchSince(LocalDate since) throws ConnectionFailure {
        return uidSearch("SINCE " + SEARCH_DATE.format(since));
    }

    /**
     * {@code UID SEARCH UID from:*}, keeping only UIDs of at least {@code from} (the server
     * always includes the highest UID in {@code n:*}).
     *
     * @return {max, count}; max is -1 when nothing matched
     */
    public long[] searchFrom(long from) throws ConnectionFailure {
        long[] found = {-1, 0};
        run("searching folder " + name, p -> {
            String tag = p.writeCommand("UID SEARCH UID " + from + ":*", null);
            readUntilTagged(p, tag, r -> {
                if (r.keyEquals("SEARCH")) {
                    forEachNumber(r, uid -> {
                        if (uid >= from) {
                            found[0] = Math.max(found[0], uid);
                            found[1]++;
                        }
                    });
                }
            });
            return null;
        });
        return found;
    }

    /**
     * {@code UID SEARCH criteria}, keeping every UID the server names (a folder's older messages
     * when a window is widened: a few bytes each).
     *
     * @param criteria search keys, with dates as {@link #searchDate} writes them
     * @return the UIDs found, ascending, without duplicates
     */
    public long[] searchUids(String criteria) throws ConnectionFailure {
        long[][] found = {new long[64]};
        int[] count = {0};
        run("searching folder " + name, p -> {
            String tag = p.writeCommand("UID SEARCH " + criteria, null);
            readUntilTagged(p, tag, r -> {
                if (r.keyEquals("SEARCH")) {
                    forEachNumber(r, uid -> {
                        if (count[0] == found[0].length) {
                            found[0] = Arrays.copyOf(found[0], count[0] * 2);
                        }
                        found[0][count[0]++] = uid;
                    });
                }
            });
            return null;
        });
        return Arrays.stream(found[0], 0, count[0]).sorted().distinct().toArray();
    }

    /** A date as IMAP's SEARCH SINCE and BEFORE take it ({@code 7-Dec-2026}). */
    public static String searchDate(LocalDate date) {
        return SEARCH_DATE.format(date);
    }

    private long[] uidSearch(String criteria) throws ConnectionFailure {
        long[] found = {-1, 0};
        run("searching folder " + name, p -> {
            // ESEARCH (RFC 4731) answers with two numbers instead of every matching UID
            boolean esearch = p.hasCapability("ESEARCH");
            String tag = p.writeCommand("UID SEARCH " + (esearch ? "RETURN (MIN COUNT) " : "") + criteria, null);
            readUntilTagged(p, tag, r -> {
                if (r.keyEquals("ESEARCH")) {
                    readMinAndCount(r, found);
                } else if (r.keyEquals("SEARCH")) {
                    forEachNumber(r, uid -> {
                        found[0] = found[0] < 0 ? uid : Math.min(found[0], uid);
                        found[1]++;
                    });
                }
            });
            return null;
        });
        return found;
    }

    /** Reads {@code * ESEARCH (TAG "t") UID MIN n COUNT m} into {min, count}. */
    private static void readMinAndCount(IMAPResponse r, long[] found) {
        r.skipSpaces();
        if (r.peekByte() == '(') {
            while (r.peekByte() != ')' && r.peekByte() != 0) {
                if (r.peekByte() == '"') {
                    r.readString();
                } else {
                    r.readByte();
                }
            }
            r.readByte();
        }
        while (true) {
            String item = r.readAtom();
            if (item == null || item.isEmpty()) {
                return;
            }
            switch (item.toUpperCase(Locale.ROOT)) {
                case "MIN":
                    found[0] = r.readLong();
                    break;
                case "COUNT":
                    found[1] = Math.max(0, r.readLong());
                    break;
                case "UID":
                    break;
                default:
                    r.readAtom(); // MAX n, ALL set: not asked for; skip the value
            }
            r.skipSpaces();
        }
    }

    /**
     * {@code UID FETCH from:to (UID INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (…)])}, plus
     * X-GM-MSGID and X-GM-THRID on Gmail, handing each message over as it arrives.
     *
     * @return how many messages the server returned
     */
    public int fetchHeaders(long from, long to, Consumer<FetchedMessage> handler) throws ConnectionFailure {
        return fetchHeaders(from + ":" + to, from, to, uid -> (int) (uid - from), handler);
    }

    /**
     * Like {@link #fetchHeaders(long, long, Consumer)}, for the given UIDs only (ascending, at
     * most a few thousand: they are named in the command).
     *
     * @return how many messages the server returned
     */
    public int fetchHeaders(long[] uids, Consumer<FetchedMessage> handler) throws ConnectionFailure {
        if (uids.length == 0) {
            problems.clear();
            unreadable = 0;
            return 0;
        }
        return fetchHeaders(uidSet(uids), uids[0], uids[uids.length - 1],
                uid -> Arrays.binarySearch(uids, uid), handler);
    }

    /** Ascending UIDs as an IMAP sequence set, runs written as ranges: {@code 3:7,9,12:13}. */
    static String uidSet(long[] uids) {
        StringBuilder set = new StringBuilder();
        int i = 0;
        while (i < uids.length) {
            int j = i;
            while (j + 1 < uids.length && uids[j + 1] == uids[j] + 1) {
                j++;
            }
            set.append(set.length() == 0 ? "" : ",").append(uids[i]);
            if (j > i) {
                set.append(':').append(uids[j]);
            }
            i = j + 1;
        }
        return set.toString();
    }

    /** @param index a UID's place among those asked for (from 0), negative when it was not asked for */
    private int fetchHeaders(String set, long from, long to, LongToIntFunction index,
                             Consumer<FetchedMessage> handler) throws ConnectionFailure {
        return finishHeaders(sendHeaders(set, from, to, index, handler));
    }

    /**
     * A header fetch written to the server whose answer has not been read to its end yet: the
     * sync keeps the next batch's {@code UID FETCH} on the wire while the current one streams
     * (RFC 9051 §5.5: commands that do not depend on each other's results may be pipelined), so
     * that a distant server never waits a round trip for the next command. Its messages are
     * handed to its handler by whichever thread reads them: the one that finishes it, or one
     * that runs another command on this folder meanwhile (the answers come in order, so that one
     * reads past it), always under the folder's command lock.
     */
    public static final class HeaderFetch {
        private final String set;
        private final long from;
        private final long to;
        private final LongToIntFunction index;
        private final Consumer<FetchedMessage> handler;
        private final BitSet delivered = new BitSet();
        private final Set<Long> withoutHeaders = new TreeSet<>();
        private final List<String> unreadableResponses = new ArrayList<>();
        private String tag;
        private int count;
        /** The tagged answer, once read. */
        private Response done;
        /** Why its answer can no longer be read (the connection failed while another command read it). */
        private ConnectionFailure failure;

        private HeaderFetch(String set, long from, long to, LongToIntFunction index, Consumer<FetchedMessage> handler) {
            this.set = set;
            this.from = from;
            this.to = to;
            this.index = index;
            this.handler = handler;
        }

        /** Whether this fetch asked for the message; then it is handed over here. */
        private boolean takes(FetchedMessage m) {
            return m.uid() >= from && m.uid() <= to && index.applyAsInt(m.uid()) >= 0;
        }

        private void accept(FetchedMessage m) {
            if (m.headerLength() < 0) {
                withoutHeaders.add(m.uid()); // a flag update, unless the message itself never comes
                return;
            }
            delivered.set(index.applyAsInt(m.uid()));
            count++;
            handler.accept(m);
        }
    }

    /**
     * The header fetches written and not read to their tagged answer, oldest first: at most two
     * (the one being read and the next batch's). Guarded by the folder's command lock.
     */
    private final java.util.ArrayDeque<HeaderFetch> inFlight = new java.util.ArrayDeque<>();

    /**
     * Writes {@code UID FETCH from:to (…)} (as {@link #fetchHeaders(long, long, Consumer)} does)
     * without reading its answer; {@link #finishHeaders} reads it. Other commands on this folder
     * may run meanwhile: they read past its answer, handing its messages to {@code handler}.
     */
    public HeaderFetch sendHeaders(long from, long to, Consumer<FetchedMessage> handler) throws ConnectionFailure {
        return sendHeaders(from + ":" + to, from, to, uid -> (int) (uid - from), handler);
    }

    private HeaderFetch sendHeaders(String set, long from, long to, LongToIntFunction index,
                                    Consumer<FetchedMessage> handler) throws ConnectionFailure {
        HeaderFetch fetch = new HeaderFetch(set, from, to, index, handler);
        String items = "(UID INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (" + HEADER_FIELDS + ")]"
                + (gmail ? " X-GM-MSGID X-GM-THRID)" : objectId ? " THREADID)" : ")");
        run("fetching headers from folder " + name, p -> {
            fetch.tag = p.writeCommand("UID FETCH " + set + " " + items, null);
            inFlight.addLast(fetch);
            return null;
        });
        return fetch;
    }

    /**
     * Reads a header fetch's answer to its end (the answers of fetches written before it first),
     * handing each message over as it arrives, and sets {@link #problems()} and
     * {@link #unreadable()} for it.
     *
     * @return how many messages the server returned
     */
    public int finishHeaders(HeaderFetch fetch) throws ConnectionFailure {
        problems.clear();
        unreadable = 0;
        run("fetching headers from folder " + name, p -> {
            while (fetch.done == null && fetch.failure == null) {
                readPipelined(p, null, IMAPResponse::new, r -> { });
            }
            Response done = fetch.done;
            if (done != null && done.isBAD()) {
                throw new ProtocolException(done);
            }
            if (done != null && done.isNO()) {
                String text = done.getRest();
                String upper = text.toUpperCase(Locale.ROOT);
                if (upper.contains("[THROTTLED]") || upper.contains("[LIMIT]") || upper.contains("[UNAVAILABLE]")
                        || ServerText.isThrottling(text)) {
                    throw new ProtocolException(done);
                }
                problems.add("UIDs " + shortened(fetch.set) + ": the server answered NO (" + text + ") after "
                        + fetch.count + " message(s); the others were skipped");
            }
            return null;
        });
        if (fetch.failure != null) {
            throw fetch.failure;
        }
        fetch.withoutHeaders.removeIf(uid -> fetch.delivered.get(fetch.index.applyAsInt(uid)));
        unreadable = fetch.unreadableResponses.size() + fetch.withoutHeaders.size();
        if (!fetch.unreadableResponses.isEmpty()) {
            problems.add("UIDs " + shortened(fetch.set) + ": " + fetch.unreadableResponses.size() + " FETCH response(s)"
                    + " could not be read and their messages were skipped; the first: "
                    + fetch.unreadableResponses.get(0));
        }
        if (!fetch.withoutHeaders.isEmpty()) {
            problems.add("UIDs " + shortened(fetch.set) + ": the server named UID(s) " + abbreviated(fetch.withoutHeaders)
                    + " without their header fields; skipped");
        }
        return fetch.count;
    }

    /**
     * Reads one response while header fetches are in flight: their FETCH responses go to the
     * fetch that asked for the UID, their tagged answers end them; anything else goes to
     * {@code untagged}. A failure fails every fetch in flight (the connection is then unusable).
     *
     * @return the response when it is the tagged answer {@code tag}, else null
     */
    private Response readPipelined(IMAPProtocol p, String tag, ResponseFactory responses, ResponseHandler untagged)
            throws IOException, ProtocolException {
        Response r;
        try {
            r = responses.read(p);
            if (r.isBYE()) {
                throw new ConnectionException(p, r);
            }
        } catch (IOException | ProtocolException | RuntimeException e) {
            ConnectionFailure failure = new ConnectionFailure(CommandFailures.classify(
                    e instanceof IOException ? new ProtocolException("I/O failure while fetching headers", e) : e,
                    "fetching headers from folder " + name));
            for (HeaderFetch f : inFlight) {
                f.failure = failure;
            }
            inFlight.clear();
            throw e;
        }
        if (r.isTagged()) {
            if (tag != null && tag.equals(r.getTag())) {
                return r;
            }
            for (java.util.Iterator<HeaderFetch> it = inFlight.iterator(); it.hasNext(); ) {
                HeaderFetch f = it.next();
                if (f.tag.equals(r.getTag())) {
                    f.done = r;
                    it.remove();
                    break;
                }
            }
            return null;
        }
        if (!(r instanceof IMAPResponse ir) || !ir.isUnTagged()) {
            return null;
        }
        if (inFlight.isEmpty() || !ir.keyEquals("FETCH")) {
            untagged.handle(ir);
            return null;
        }
        // while header fetches are in flight their answers come first (servers answer in order)
        HeaderFetch head = inFlight.peekFirst();
        FetchedMessage m;
        try {
            m = FetchItemParser.parse(ir);
        } catch (ParsingException | RuntimeException e) {
            head.unreadableResponses.add(ServerText.printable(ir.toString()));
            return null;
        }
        if (m == null) {
            return null; // an update without UID
        }
        for (HeaderFetch f : inFlight) {
            if (f.takes(m)) {
                f.accept(m);
                return null;
            }
        }
        return null; // about a message no fetch in flight asked for
    }

    /**
     * A value of a preview fetch: a slice of the response's buffer, valid only during the call.
     * {@code length} is -1 when the server named the UID without the item asked for.
     */
    public interface PartHandler {
        /** One message's value. */
        void accept(long uid, byte[] buffer, int offset, int length);
    }

    /**
     * {@code UID FETCH set (UID BODYSTRUCTURE)} for the given UIDs (ascending), one command,
     * streamed: each structure is handed over raw, literals included, as it arrives. Reads no
     * byte of any body and changes no flag.
     *
     * @return what went wrong for some messages, one warning each (a NO, unreadable responses,
     *         UIDs the answer left out); the messages concerned were not handed over
     * @throws ConnectionFailure when the connection fails or the server throttles
     */
    public List<String> fetchStructures(long[] uids, PartHandler handler) throws ConnectionFailure {
        return fetchParts(uids, "(UID BODYSTRUCTURE)", true, "structures", handler);
    }

    /**
     * {@code UID FETCH set (UID BODY.PEEK[section]<0.bytes>)}: the first bytes of one part of
     * each message, as stored (transfer-encoded), one command for all. PEEK: no flag changes.
     * A server that sends more than asked is handed over what it sent; the caller decides.
     *
     * @param section an IMAP part number ({@code 1}, {@code 2.1}) or {@code TEXT}
     * @return warnings as for {@link #fetchStructures}
     */
    public List<String> fetchPartStarts(String section, long[] uids, int bytes, PartHandler handler)
            throws ConnectionFailure {
        return fetchPartStarts(section, uids, bytes, false, handler);
    }

    /**
     * Whether the server offers RFC 3516 BINARY (Dovecot, Cyrus do): a part's first bytes can then
     * be fetched with their transfer encoding undone by the server.
     */
    public boolean offersBinary() {
        return binary;
    }

    /**
     * As {@link #fetchPartStarts(String, long[], int, PartHandler)}; with {@code decoded}, as
     * {@code BINARY.PEEK[section]<0.bytes>} (the transfer encoding undone by the server, which
     * answers NO {@code [UNKNOWN-CTE]} for an encoding it does not know).
     */
    public List<String> fetchPartStarts(String section, long[] uids, int bytes, boolean decoded, PartHandler handler)
            throws ConnectionFailure {
        return fetchParts(uids, partItems(section, bytes, decoded), false, "part " + section, handler);
    }

    /** The most messages asked for again one by one after a NO for the whole command. */
    private static final int MAX_SINGLE_RETRIES = 50;

    private List<String> fetchParts(long[] uids, String items, boolean structure, String what, PartHandler handler)
            throws ConnectionFailure {
        return fetchParts(List.of(new PartFetch(uids, items, structure, what, handler))).get(0);
    }

    /**
     * One preview request of several written back to back: the first bytes of one part number
     * of some messages (see {@link #fetchPartStarts(String, long[], int, boolean, PartHandler)}).
     */
    public record PartRequest(String section, long[] uids, int bytes, boolean decoded, PartHandler handler) {
    }

    /**
     * Several {@link #fetchPartStarts(String, long[], int, boolean, PartHandler)} at once: every
     * command is written before any answer is read (pipelined, RFC 9051 §5.5: they do not depend
     * on each other), so a batch whose texts sit at several part numbers waits one round trip for
     * all of them instead of one each.
     *
     * @return each request's warnings, in the order of the requests
     */
    public List<List<String>> fetchPartStarts(List<PartRequest> requests) throws ConnectionFailure {
        List<PartFetch> fetches = new ArrayList<>();
        for (PartRequest r : requests) {
            fetches.add(new PartFetch(r.uids(), partItems(r.section(), r.bytes(), r.decoded()), false,
                    "part " + r.section(), r.handler()));
        }
        return fetchParts(fetches);
    }

    private static String partItems(String section, int bytes, boolean decoded) {
        if (!section.matches("TEXT|[1-9][0-9]{0,4}(\\.[1-9][0-9]{0,4}){0,31}")) {
            throw new IllegalArgumentException("Not a part number: " + section);
        }
        if (decoded && section.equals("TEXT")) {
            throw new IllegalArgumentException("BINARY takes part numbers only, not " + section);
        }
        return "(UID " + (decoded ? "BINARY" : "BODY") + ".PEEK[" + section + "]<0." + bytes + ">)";
    }

    /** One preview fetch: what it asks for and what came of it. */
    private static final class PartFetch {
        final long[] uids;
        final String items;
        final boolean structure;
        final String what;
        final PartHandler handler;
        final String set;
        final BitSet delivered;
        final List<String> unreadableResponses = new ArrayList<>();
        String tag;
        String no;

        PartFetch(long[] uids, String items, boolean structure, String what, PartHandler handler) {
            this.uids = uids;
            this.items = items;
            this.structure = structure;
            this.what = what;
            this.handler = handler;
            this.set = uids.length == 0 ? "" : uidSet(uids);
            this.delivered = new BitSet(uids.length);
        }

        void accept(IMAPResponse r) {
            if (!r.keyEquals("FETCH")) {
                return;
            }
            PartItemParser.Found found;
            try {
                found = PartItemParser.parse((RawResponse) r, structure);
            } catch (ParsingException | RuntimeException e) {
                String text = r.toString();
                unreadableResponses.add(ServerText.printable(text.length() <= 200 ? text
                        : text.substring(0, 200) + "…"));
                return;
            }
            if (found == null || found.length() < 0) {
                return; // an update without UID or without the item: a flag change
            }
            int index = Arrays.binarySearch(uids, found.uid());
            if (index < 0 || delivered.get(index)) {
                return; // not asked for, or a second answer for it
            }
            delivered.set(index);
            handler.accept(found.uid(), found.buffer(), found.offset(), found.length());
        }
    }

    private List<List<String>> fetchParts(List<PartFetch> fetches) throws ConnectionFailure {
        List<PartFetch> asked = fetches.stream().filter(f -> f.uids.length > 0).toList();
        if (!asked.isEmpty()) {
            run("fetching message " + asked.get(0).what + " from folder " + name, p -> {
                for (PartFetch f : asked) {
                    f.tag = p.writeCommand("UID FETCH " + f.set + " " + f.items, null);
                }
                for (PartFetch f : asked) {
                    // a NO or BAD for the preview fetch costs previews, never the batch
                    Response done = readUntilTagged(p, f.tag, true, true, RawResponse::new, f::accept);
                    if (done.isNO() || done.isBAD()) {
                        String text = done.getRest();
                        String upper = text.toUpperCase(Locale.ROOT);
                        if (upper.contains("[THROTTLED]") || upper.contains("[LIMIT]")
                                || upper.contains("[UNAVAILABLE]") || ServerText.isThrottling(text)) {
                            throw new ProtocolException(done);
                        }
                        f.no = (done.isBAD() ? "BAD (" : "NO (")
                                + ServerText.printable(text.length() <= 200 ? text : text.substring(0, 200) + "…") + ")";
                    }
                }
                return null;
            });
        }
        List<List<String>> all = new ArrayList<>();
        for (PartFetch f : fetches) {
            all.add(f.uids.length == 0 ? new ArrayList<>() : warnings(f));
        }
        return all;
    }

    private List<String> warnings(PartFetch f) throws ConnectionFailure {
        List<String> warnings = new ArrayList<>();
        String set = f.set;
        String what = f.what;
        if (!f.unreadableResponses.isEmpty()) {
            warnings.add("UIDs " + shortened(set) + ": " + f.unreadableResponses.size() + " response(s) to the fetch"
                    + " of message " + what + " could not be read; the first: " + f.unreadableResponses.get(0));
        }
        List<Long> missing = new ArrayList<>();
        for (int i = 0; i < f.uids.length; i++) {
            if (!f.delivered.get(i)) {
                missing.add(f.uids[i]);
            }
        }
        if (f.no != null && f.uids.length > 1 && !missing.isEmpty()) {
            // a NO for the whole command (GreenMail fails it for one broken message): ask for the
            // others one by one, so that one message does not cost its batch every preview
            int retried = 0;
            for (long uid : missing) {
                if (retried++ == MAX_SINGLE_RETRIES) {
                    warnings.add("UIDs " + shortened(set) + ": the server answered " + f.no + " to the fetch"
                            + " of message " + what + "; " + (missing.size() - MAX_SINGLE_RETRIES)
                            + " message(s) were not asked for again and have no preview");
                    break;
                }
                warnings.addAll(fetchParts(new long[] {uid}, f.items, f.structure, what, f.handler));
            }
            return warnings;
        }
        if (f.no != null) {
            warnings.add("UIDs " + shortened(set) + ": the server answered " + f.no + " to the fetch of message "
                    + what + "; those not delivered have no preview");
        } else if (!missing.isEmpty() && f.unreadableResponses.isEmpty()) {
            warnings.add("UIDs " + shortened(set) + ": the server did not deliver the message " + what + " of UID(s) "
                    + abbreviated(new TreeSet<>(missing)) + "; they have no preview");
        }
        return warnings;
    }

    private static String shortened(String set) {
        return set.length() <= 60 ? set : set.substring(0, set.indexOf(',', 50) < 0 ? 60 : set.indexOf(',', 50)) + ",…";
    }

    private static String abbreviated(Set<Long> uids) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (long uid : uids) {
            if (n++ == 10) {
                return out.append(" and ").append(uids.size() - 10).append(" more").toString();
            }
            out.append(n > 1 ? ", " : "").append(uid);
        }
        return out.toString();
    }

    /**
     * Closes the folder (no EXPUNGE: it was opened read-only), after reading the answers of header
     * fetches still in flight (a sync stopped early leaves the next batch's): their messages go to
     * their handlers, which nobody reads any more. Safe twice.
     */
    @Override
    public void close() {
        try {
            if (!inFlight.isEmpty()) { // its fetching threads have ended: nothing else touches it now
                run("closing folder " + name, p -> {
                    while (!inFlight.isEmpty()) {
                        readPipelined(p, null, IMAPResponse::new, r -> { });
                    }
                    return null;
                });
            }
        } catch (ConnectionFailure | RuntimeException e) {
            // the connection is being given up anyway
        }
        try {
            // not isOpen(): Angus's isOpen() sends a NOOP when the last command is a second old, a
            // round trip for nothing; close() on a closed folder throws IllegalStateException instead
            folder.close(false);
        } catch (MessagingException | RuntimeException e) {
            // the connection is being given up anyway; the folder was read-only
        }
    }

    private interface Command {
        Object run(IMAPProtocol p) throws ProtocolException, IOException;
    }

    private void run(String what, Command command) throws ConnectionFailure {
        try {
            folder.doCommand(p -> {
                try {
                    return command.run(p);
                } catch (IOException e) {
                    throw new ProtocolException("I/O failure while " + what, e);
                }
            });
        } catch (MessagingException | RuntimeException e) {
            throw new ConnectionFailure(CommandFailures.classify(e, what));
        }
    }

    /**
     * Reads responses until the tagged one, handing untagged ones to {@code untagged}. A NO or
     * BAD becomes a ProtocolException with the server's text; BYE ends the connection.
     */
    private void readUntilTagged(IMAPProtocol p, String tag, ResponseHandler untagged)
            throws IOException, ProtocolException {
        readUntilTagged(p, tag, false, untagged);
    }

    private Response readUntilTagged(IMAPProtocol p, String tag, boolean acceptNo, ResponseHandler untagged)
            throws IOException, ProtocolException {
        return readUntilTagged(p, tag, acceptNo, false, IMAPResponse::new, untagged);
    }

    private interface ResponseFactory {
        IMAPResponse read(IMAPProtocol p) throws IOException, ProtocolException;
    }

    private Response readUntilTagged(IMAPProtocol p, String tag, boolean acceptNo, boolean acceptBad,
                                     ResponseFactory responses, ResponseHandler untagged)
            throws IOException, ProtocolException {
        while (!inFlight.isEmpty()) {
            // header fetches written before this command: read past their answers, handing their messages over
            Response r = readPipelined(p, tag, responses, untagged);
            if (r != null) {
                if (!r.isOK() && !(acceptNo && r.isNO()) && !(acceptBad && r.isBAD())) {
                    throw new ProtocolException(r);
                }
                return r;
            }
        }
        while (true) {
            Response r = responses.read(p);
            if (r.isBYE()) {
                throw new ConnectionException(p, r);
            }
            if (tag.equals(r.getTag())) {
                if (!r.isOK() && !(acceptNo && r.isNO()) && !(acceptBad && r.isBAD())) {
                    throw new ProtocolException(r);
                }
                return r;
            }
            if (r instanceof IMAPResponse && r.isUnTagged()) {
                untagged.handle((IMAPResponse) r);
            }
        }
    }

    private interface ResponseHandler {
        void handle(IMAPResponse r) throws ProtocolException;
    }

    private interface NumberHandler {
        void handle(long n);
    }

    private static void forEachNumber(IMAPResponse r, NumberHandler handler) {
        while (true) {
            r.skipSpaces();
            long n = r.readLong();
            if (n < 0) {
                return;
            }
            handler.handle(n);
        }
    }
}
