package dev.imapsync.internal.message;

import dev.imapsync.message.EmailAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * One parse of one header block: the mutable state that {@link HeaderParser} keeps off its own
 * immutable, shared instance. Splits the block into fields once (unfolding is left to the field
 * readers, which treat CR and LF as white space), then reads the fields it knows in a fixed
 * order: addresses first From, Sender and Reply-To, so a hostile To cannot use up the budget
 * before the author is read.
 *
 * <p>Each thread keeps one instance and reuses it, with its buffers, from parse to parse (a
 * parse allocates little beyond its results); it forgets the input after each parse and does not
 * keep buffers that a large header made large.
 */
final class ParseRun {
    private static final int MAX_WARNINGS = 20;
    private static final int MAX_CHARSET_LOOKUPS = 4;
    /** Buffers larger than this are dropped after a parse rather than kept for the next one. */
    private static final int MAX_KEPT_BUFFER = 16 * 1024;
    private static final HeaderField[] ADDRESS_FIELDS = {HeaderField.FROM, HeaderField.SENDER, HeaderField.REPLY_TO,
            HeaderField.TO, HeaderField.CC, HeaderField.BCC};
    private static final HeaderField[] FIELDS = HeaderField.values();
    /** The longest policy header value kept, in characters. */
    private static final int MAX_POLICY_VALUE = 1000;
    private static final ThreadLocal<ParseRun> PER_THREAD = ThreadLocal.withInitial(ParseRun::new);

    private HeaderParser parser;
    private byte[] b;
    private int offset;
    private int length;
    private boolean busy;

    private StringBuilder text = new StringBuilder(64);
    private byte[] scratch;
    private byte[] wordBytes;
    /** Decoded bytes of adjacent encoded words waiting in {@link #wordBytes}. */
    int wordLength;
    // the parts of the encoded word EncodedWords.scan found last
    int wordCharsetStart;
    int wordCharsetEnd;
    int wordEncoding;
    int wordTextStart;
    int wordTextEnd;
    private int charsetLookups;

    /** The fields found, as (field ordinal, value start, value end) triples in block order. */
    private int[] spans = new int[3 * 12];
    private int spanCount;
    /** Whether a policy header is among the spans. */
    private boolean policySpans;

    private AddressListParser addressReader;
    private DateParser dateReader;
    @SuppressWarnings("unchecked")
    private final ArrayList<EmailAddress>[] addresses = (ArrayList<EmailAddress>[]) new ArrayList<?>[6];
    private int addressCount;
    private boolean addressLimitReached;
    private String messageId;
    private String inReplyTo;
    private final ArrayList<String> references = new ArrayList<>();
    private HashSet<String> referenceSet;
    private final int[] referenceHashes = new int[64];
    private final ArrayList<String> warnings = new ArrayList<>();
    private int warningsDropped;

    private ParseRun() {
    }

    /** Parses with this thread's run (a fresh one should the thread be inside a parse already). */
    static MessageHeaders parse(HeaderParser parser, byte[] b, int offset, int length) {
        ParseRun run = PER_THREAD.get();
        if (run.busy) {
            run = new ParseRun();
        }
        run.start(parser, b, offset, length);
        try {
            return run.parse();
        } finally {
            run.finish();
        }
    }

    private void start(HeaderParser parser, byte[] b, int offset, int length) {
        this.busy = true;
        this.parser = parser;
        this.b = b;
        this.offset = offset;
        this.length = length;
        wordLength = 0;
        charsetLookups = 0;
        spanCount = 0;
        policySpans = false;
        for (ArrayList<EmailAddress> list : addresses) {
            if (list != null) {
                list.clear();
            }
        }
        addressCount = 0;
        addressLimitReached = false;
        messageId = null;
        inReplyTo = null;
        references.clear();
        referenceSet = null;
        warnings.clear();
        warningsDropped = 0;
    }

    private void finish() {
        b = null; // do not keep the caller's buffer alive
        parser = null;
        busy = false;
        if (scratch != null && scratch.length > MAX_KEPT_BUFFER) {
            scratch = null;
        }
        if (wordBytes != null && wordBytes.length > MAX_KEPT_BUFFER) {
            wordBytes = null;
        }
        if (text.capacity() > MAX_KEPT_BUFFER) {
            text = new StringBuilder(64);
        }
        if (spans.length > MAX_KEPT_BUFFER) {
            spans = new int[3 * 12];
        }
        if (references.size() > MAX_KEPT_BUFFER) {
            references.clear();
            references.trimToSize();
        }
        for (int k = 0; k < addresses.length; k++) {
            if (addresses[k] != null && addresses[k].size() > 256) {
                addresses[k] = null;
            }
        }
        if (addressReader != null) {
            addressReader.release();
        }
    }

    HeaderParser parser() {
        return parser;
    }

    MessageHeaders parse() {
        int end = offset + length;
        int max = parser.maxHeaderBytes();
        if (length > max) {
            end = offset + max;
            int lastLineEnd = end - 1;
            while (lastLineEnd >= offset && b[lastLineEnd] != '\n') {
                lastLineEnd--;
            }
            if (lastLineEnd >= offset) {
                end = lastLineEnd + 1; // the line cut in two is not read either
            }
            warn(null, "the header block is " + length + " bytes; only the first " + max + " were read");
        }
        split(offset, end);
        readAddresses();
        String subject = readSubject();
        Instant date = readDate();
        readIds(HeaderField.MESSAGE_ID);
        readIds(HeaderField.IN_REPLY_TO);
        readIds(HeaderField.REFERENCES);
        Map<String, String> policyHeaders = readPolicyHeaders();
        return new MessageHeaders(addresses(HeaderField.FROM), addresses(HeaderField.SENDER),
                addresses(HeaderField.REPLY_TO), addresses(HeaderField.TO), addresses(HeaderField.CC),
                addresses(HeaderField.BCC), subject, Optional.ofNullable(date), Optional.ofNullable(messageId),
                Optional.ofNullable(inReplyTo), boundedReferences(), warnings(), policyHeaders);
    }

    /**
     * The policy headers, as written: most messages have none, and cost one pass over a dozen
     * spans; a value is unfolded (line breaks dropped), trimmed and cut at
     * {@link #MAX_POLICY_VALUE} characters (List-Unsubscribe carries long URLs; the rules need
     * little of any of them).
     */
    private Map<String, String> readPolicyHeaders() {
        if (!policySpans) {
            return Map.of();
        }
        Map<String, String> found = null;
        for (int k = 0; k < spanCount; k++) {
            HeaderField field = FIELDS[spans[k * 3]];
            if (!field.isPolicyHeader() || (found != null && found.containsKey(field.lowerCaseName))) {
                continue; // the first of each counts
            }
            int start = spans[k * 3 + 1];
            int end = spans[k * 3 + 2];
            while (start < end && Text.isWhitespace(b[start])) {
                start++;
            }
            while (end > start && Text.isWhitespace(b[end - 1])) {
                end--;
            }
            StringBuilder value = text();
            String raw = new String(b, start, end - start,
                    utf8(start, end) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            for (int i = 0; i < raw.length() && value.length() < MAX_POLICY_VALUE; i++) {
                char c = raw.charAt(i);
                if (c != '\r' && c != '\n') {
                    value.append(c);
                }
            }
            if (found == null) {
                found = new HashMap<>(4);
            }
            found.put(field.lowerCaseName, value.toString());
        }
        return found == null ? Map.of() : found;
    }

    /** Finds the fields of the block and records the ones we read; stops at the first empty line. */
    private void split(int start, int end) {
        int i = start;
        if (end - i >= 3 && b[i] == (byte) 0xEF && b[i + 1] == (byte) 0xBB && b[i + 2] == (byte) 0xBF) {
            i += 3; // a byte order mark some tools write
        }
        boolean warnedJunk = false;
        while (i < end) {
            int c = b[i];
            if (c == '\n' || (c == '\r' && (i + 1 == end || b[i + 1] == '\n'))) {
                break; // the empty line that ends a header
            }
            int j = i;
            while (j < end && b[j] != ':' && b[j] != '\n') {
                j++; // field names are short: no need to scan by words here
            }
            if (c == ' ' || c == '\t' || j >= end || b[j] != ':') {
                // a continuation with no field before it, or a line that is no field at all
                if (!warnedJunk && c != ' ' && c != '\t') {
                    warnedJunk = true;
                    warn(null, "a line that is not a header field was skipped: " + Text.excerpt(b, i, j));
                }
                i = Bytes.indexOfNewline(b, j, end) + 1;
                continue;
            }
            int nameEnd = j;
            while (nameEnd > i && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
                nameEnd--; // obsolete syntax allows white space before the colon
            }
            HeaderField field = HeaderField.identify(b, i, nameEnd);
            int valueStart = j + 1;
            int k = valueStart;
            int valueEnd;
            while (true) {
                k = Bytes.indexOfNewline(b, k, end);
                if (k >= end) {
                    valueEnd = end;
                    i = end;
                    break;
                }
                if (k + 1 < end && (b[k + 1] == ' ' || b[k + 1] == '\t')) {
                    k++; // folded: the field goes on
                    continue;
                }
                valueEnd = k > valueStart && b[k - 1] == '\r' ? k - 1 : k;
                i = k + 1;
                break;
            }
            if (field != null) {
                if (spanCount * 3 + 3 > spans.length) {
                    spans = Arrays.copyOf(spans, spans.length * 2);
                }
                spans[spanCount * 3] = field.ordinal();
                spans[spanCount * 3 + 1] = valueStart;
                spans[spanCount * 3 + 2] = valueEnd;
                spanCount++;
                policySpans |= field.isPolicyHeader();
            }
        }
    }

    private void readAddresses() {
        AddressListParser reader = addressReader;
        for (HeaderField field : ADDRESS_FIELDS) {
            for (int k = 0; k < spanCount; k++) {
                if (spans[k * 3] != field.ordinal()) {
                    continue;
                }
                int start = spans[k * 3 + 1];
                int end = spans[k * 3 + 2];
                if (reader == null) {
                    reader = addressReader = new AddressListParser(this);
                }
                if (!reader.parse(field, b, start, end, utf8(start, end))) {
                    return;
                }
            }
        }
    }

    private String readSubject() {
        int k = first(HeaderField.SUBJECT, 0);
        if (k < 0) {
            return "";
        }
        int start = spans[k * 3 + 1];
        int end = spans[k * 3 + 2];
        while (start < end && Text.isWhitespace(b[start])) {
            start++;
        }
        while (end > start && Text.isWhitespace(b[end - 1])) {
            end--;
        }
        boolean plain = true;
        for (int i = start; i < end; i++) {
            int c = b[i];
            if (c < ' ' || c > '~' || (c == '?' && b[i - 1] == '=')) {
                plain = false;
                break;
            }
        }
        if (plain) {
            return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
        }
        return EncodedWords.decode(this, HeaderField.SUBJECT, b, start, end, utf8(start, end));
    }

    private Instant readDate() {
        int k = first(HeaderField.DATE, 0);
        if (k < 0) {
            return null;
        }
        int start = spans[k * 3 + 1];
        int end = spans[k * 3 + 2];
        if (isBlank(start, end)) {
            warn(HeaderField.DATE, "the field is empty");
            return null;
        }
        if (dateReader == null) {
            dateReader = new DateParser();
        }
        DateParser dates = dateReader;
        Instant date = dates.parse(b, start, end);
        switch (dates.outcome()) {
            case NO_ZONE -> warn(HeaderField.DATE, Text.excerpt(b, start, end) + " has no time zone; read as UTC");
            case NO_TIME -> warn(HeaderField.DATE, Text.excerpt(b, start, end) + " has no time of day; read as midnight");
            case UNREADABLE -> warn(HeaderField.DATE, "cannot read " + Text.excerpt(b, start, end) + "; the date is left empty");
            default -> {
            }
        }
        return date;
    }

    private void readIds(HeaderField field) {
        int unreadable = -1;
        for (int k = first(field, 0); k >= 0; k = first(field, k + 1)) {
            int start = spans[k * 3 + 1];
            int end = spans[k * 3 + 2];
            MessageIds.read(this, field, b, start, end, utf8(start, end));
            if ((field == HeaderField.MESSAGE_ID && messageId != null)
                    || (field == HeaderField.IN_REPLY_TO && inReplyTo != null)) {
                return;
            }
            if (unreadable < 0) {
                unreadable = k;
            }
        }
        if (field == HeaderField.MESSAGE_ID && unreadable >= 0) {
            int start = spans[unreadable * 3 + 1];
            int end = spans[unreadable * 3 + 2];
            warn(field, isBlank(start, end) ? "the field is empty" : "no id in " + Text.excerpt(b, start, end));
        }
    }

    private boolean isBlank(int start, int end) {
        for (int i = start; i < end; i++) {
            if (!Text.isWhitespace(b[i])) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first span of {@code field} at or after span {@code from}, or -1. */
    private int first(HeaderField field, int from) {
        for (int k = from; k < spanCount; k++) {
            if (spans[k * 3] == field.ordinal()) {
                return k;
            }
        }
        return -1;
    }

    /** Whether raw 8-bit bytes of a value are to be read as UTF-8 (else ISO-8859-1; pure ASCII reads the same either way). */
    private boolean utf8(int start, int end) {
        return Bytes.hasEightBit(b, start, end) && Utf8.isValid(b, start, end);
    }

    // ---- called by the field readers

    /** The shared builder, emptied. */
    StringBuilder text() {
        text.setLength(0);
        return text;
    }

    /** A scratch buffer of at least {@code size} bytes; its content is undefined. */
    byte[] scratch(int size) {
        if (scratch == null || scratch.length < size) {
            scratch = new byte[Math.max(size, 128)];
        }
        return scratch;
    }

    /** The buffer for decoded encoded-word bytes, with room for {@code more} after {@link #wordLength}. */
    byte[] wordBytes(int more) {
        int needed = wordLength + more;
        if (wordBytes == null) {
            wordBytes = new byte[Math.max(needed, 128)];
        } else if (wordBytes.length < needed) {
            wordBytes = Arrays.copyOf(wordBytes, Math.max(needed, wordBytes.length * 2));
        }
        return wordBytes;
    }

    /** Appends the pending decoded bytes of encoded words to {@code out} and empties the buffer. */
    void flushWordBytes(Charset charset, StringBuilder out) {
        EncodedWords.appendDecoded(wordBytes, wordLength, charset, out);
        wordLength = 0;
    }

    /** Whether this parse may still ask the JDK about a charset name it has not seen. */
    boolean mayLookUpCharset() {
        return charsetLookups++ < MAX_CHARSET_LOOKUPS;
    }

    /** Whether another address fits the budget; warns once when it does not. */
    boolean hasRoomForAddress() {
        if (addressCount < parser.maxAddresses()) {
            return true;
        }
        if (!addressLimitReached) {
            addressLimitReached = true;
            warn(null, "more than " + parser.maxAddresses() + " addresses; the rest were skipped");
        }
        return false;
    }

    void addAddress(HeaderField field, EmailAddress address) {
        int slot = field.ordinal(); // the address fields come first in HeaderField
        if (addresses[slot] == null) {
            addresses[slot] = new ArrayList<>(4);
        }
        addresses[slot].add(address);
        addressCount++;
    }

    /** Takes a normalized id; returns whether the field wants more. */
    boolean acceptId(HeaderField field, String id) {
        switch (field) {
            case MESSAGE_ID -> {
                messageId = id;
                return false;
            }
            case IN_REPLY_TO -> {
                inReplyTo = id;
                return false;
            }
            default -> {
                int size = references.size();
                if (referenceSet == null && size >= 64) {
                    referenceSet = new HashSet<>(references); // a hostile References: stay linear
                }
                if (referenceSet != null) {
                    if (referenceSet.add(id)) {
                        references.add(id);
                    }
                    return true;
                }
                // ids of one thread share long prefixes: compare a few sampled characters first
                int hash = sampledHash(id);
                for (int k = 0; k < size; k++) {
                    if (referenceHashes[k] == hash && references.get(k).equals(id)) {
                        return true;
                    }
                }
                referenceHashes[size] = hash;
                references.add(id);
                return true;
            }
        }
    }

    /**
     * A hash of an id from its length and four of its characters: O(1), where String.hashCode is
     * a serial multiply over every character (JDK 17); equal ids hash alike, which is all it needs.
     */
    private static int sampledHash(String id) {
        int n = id.length();
        return n == 0 ? 0 : (n * 31 + id.charAt(n - 1)) * 961 + id.charAt(n >> 1) * 31 + id.charAt(n >> 2)
                + (id.charAt((n * 3) >> 2) << 16);
    }

    void warn(HeaderField field, String message) {
        if (warnings.size() >= MAX_WARNINGS) {
            warningsDropped++;
            return;
        }
        warnings.add(field == null ? message : field.displayName + ": " + message);
    }

    /**
     * Whether a warning would still be kept, counting it as dropped when not: lets a caller skip
     * composing a warning that a hostile message repeats a hundred thousand times.
     */
    boolean warningsWanted() {
        if (warnings.size() < MAX_WARNINGS) {
            return true;
        }
        warningsDropped++;
        return false;
    }

    private List<EmailAddress> addresses(HeaderField field) {
        return immutable(addresses[field.ordinal()]);
    }

    /** The References kept: all when they fit, else the first (the thread's root) and the newest. */
    private List<String> boundedReferences() {
        int max = parser.maxReferences();
        int size = references.size();
        if (size <= max) {
            return immutable(references);
        }
        warn(HeaderField.REFERENCES, size + " ids; kept the first and the last " + (max - 1));
        List<String> kept = new ArrayList<>(max);
        kept.add(references.get(0));
        kept.addAll(references.subList(size - (max - 1), size));
        return List.copyOf(kept);
    }

    private List<String> warnings() {
        if (warningsDropped > 0) {
            warnings.add("… and " + warningsDropped + " more warnings");
        }
        return immutable(warnings);
    }

    /**
     * An immutable copy that {@link MessageHeaders} keeps as it is: one or two elements without
     * an array, which is most address lists.
     */
    private static <T> List<T> immutable(ArrayList<T> list) {
        if (list == null) {
            return List.of();
        }
        return switch (list.size()) {
            case 0 -> List.of();
            case 1 -> List.of(list.get(0));
            case 2 -> List.of(list.get(0), list.get(1));
            default -> List.copyOf(list);
        };
    }
}
