package dev.imapsync.internal.message;

import java.util.Objects;

/**
 * Reads the header fields imap-sync needs from the raw bytes of a header block, as an IMAP
 * server returns them for {@code BODY.PEEK[HEADER.FIELDS (FROM TO CC BCC REPLY-TO SENDER DATE
 * SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES)]}, into {@link MessageHeaders}.
 *
 * <p>It is lenient and bounded. Whatever the bytes hold it returns what it could read, with a
 * warning in words for each thing it could not, and it never throws: not on malformed
 * addresses, dates or encoded words, not on binary garbage, not on a header built to exhaust
 * it. Its work is linear in the bytes it reads, and what it keeps is capped by the builder's
 * limits. The input may use CRLF or bare LF, may lack the final empty line, and may hold other
 * fields, which are skipped; field names are matched without regard to case; repeated address
 * fields and References are concatenated, for the other fields the first one counts. Values may
 * be raw UTF-8 (RFC 6532); a value that is not valid UTF-8 is read as ISO-8859-1.
 *
 * <p>It runs on the sync's hot path, for every message, so it works on the bytes: it splits the
 * block once, takes addresses and ids straight from the bytes, and decodes RFC 2047 encoded
 * words only in what people read (the subject and display names).
 *
 * <p>Instances are immutable and thread-safe; share one. Each thread that parses keeps its own
 * small working buffers (a few KiB) from one parse to the next, so a parse allocates little
 * beyond its result; the input array is never kept.
 *
 * <pre>{@code
 * MessageHeaders headers = HeaderParser.standard().parse(headerBytes);
 * }</pre>
 */
public final class HeaderParser {
    /** The default for {@link Builder#maxHeaderBytes(int)}: 64 KiB. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
    /** The default for {@link Builder#maxAddresses(int)}. */
    public static final int DEFAULT_MAX_ADDRESSES = 1_000;
    /** The default for {@link Builder#maxEncodedWordLength(int)}. */
    public static final int DEFAULT_MAX_ENCODED_WORD_LENGTH = 1_000;
    /** The default for {@link Builder#maxReferences(int)}. */
    public static final int DEFAULT_MAX_REFERENCES = 100;

    private static final HeaderParser STANDARD = builder().build();

    private final int maxHeaderBytes;
    private final int maxAddresses;
    private final int maxEncodedWordLength;
    private final int maxReferences;

    private HeaderParser(Builder builder) {
        this.maxHeaderBytes = builder.maxHeaderBytes;
        this.maxAddresses = builder.maxAddresses;
        this.maxEncodedWordLength = builder.maxEncodedWordLength;
        this.maxReferences = builder.maxReferences;
    }

    /** A parser with the default limits. */
    public static HeaderParser standard() {
        return STANDARD;
    }

    /** A builder starting from the default limits. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this parser's limits. */
    public Builder toBuilder() {
        return new Builder()
                .maxHeaderBytes(maxHeaderBytes)
                .maxAddresses(maxAddresses)
                .maxEncodedWordLength(maxEncodedWordLength)
                .maxReferences(maxReferences);
    }

    /**
     * Parses a whole array as one header block.
     *
     * @param bytes the header block; an empty array gives {@link MessageHeaders#empty()}
     * @return what could be read, with warnings for what could not; never {@code null}
     * @throws NullPointerException if {@code bytes} is null (the only way to make it throw)
     */
    public MessageHeaders parse(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return parse(bytes, 0, bytes.length);
    }

    /**
     * Parses {@code bytes[offset, offset + length)} as one header block, for example straight
     * from a buffer the IMAP response was read into. The array is only read, and not kept.
     *
     * @param bytes  the buffer holding the header block
     * @param offset where the block starts
     * @param length how many bytes it has; 0 gives {@link MessageHeaders#empty()}
     * @return what could be read, with warnings for what could not; never {@code null}
     * @throws NullPointerException      if {@code bytes} is null
     * @throws IndexOutOfBoundsException if the range is not inside the array
     */
    public MessageHeaders parse(byte[] bytes, int offset, int length) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return MessageHeaders.empty();
        }
        return ParseRun.parse(this, bytes, offset, length);
    }

    /** Bytes of a header block read at most; see {@link Builder#maxHeaderBytes(int)}. */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /** Addresses kept per message at most; see {@link Builder#maxAddresses(int)}. */
    public int maxAddresses() {
        return maxAddresses;
    }

    /** The longest encoded word decoded; see {@link Builder#maxEncodedWordLength(int)}. */
    public int maxEncodedWordLength() {
        return maxEncodedWordLength;
    }

    /** References ids kept at most; see {@link Builder#maxReferences(int)}. */
    public int maxReferences() {
        return maxReferences;
    }

    @Override
    public String toString() {
        return "HeaderParser{maxHeaderBytes=" + maxHeaderBytes + ", maxAddresses=" + maxAddresses
                + ", maxEncodedWordLength=" + maxEncodedWordLength + ", maxReferences=" + maxReferences + "}";
    }

    /** Limits of a {@link HeaderParser}; each setter checks its argument at once. */
    public static final class Builder {
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
        private int maxAddresses = DEFAULT_MAX_ADDRESSES;
        private int maxEncodedWordLength = DEFAULT_MAX_ENCODED_WORD_LENGTH;
        private int maxReferences = DEFAULT_MAX_REFERENCES;

        private Builder() {
        }

        /**
         * How many bytes of a header block are read (default 64 KiB); the rest is ignored with a
         * warning, and so is the line the limit cuts in two (unless it is the first).
         *
         * @param bytes at least 1024
         */
        public Builder maxHeaderBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxHeaderBytes must be at least 1024 (1 KiB), was " + bytes
                        + "; ordinary header blocks of the fields imap-sync reads are up to a few KiB");
            }
            this.maxHeaderBytes = bytes;
            return this;
        }

        /**
         * How many addresses of one message are kept, over all its address fields (default
         * 1,000); From, Sender and Reply-To are read first, so a huge To cannot push them out.
         *
         * @param count at least 1
         */
        public Builder maxAddresses(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("maxAddresses must be at least 1, was " + count
                        + "; a message needs room for its From address");
            }
            this.maxAddresses = count;
            return this;
        }

        /**
         * The longest RFC 2047 encoded word, {@code =?} to {@code ?=}, that is decoded (default
         * 1,000 bytes); longer ones are kept as written, with a warning. RFC 2047 allows 75,
         * mail programs write longer ones.
         *
         * @param length at least 75
         */
        public Builder maxEncodedWordLength(int length) {
            if (length < 75) {
                throw new IllegalArgumentException("maxEncodedWordLength must be at least 75 (the length RFC 2047"
                        + " allows), was " + length);
            }
            this.maxEncodedWordLength = length;
            return this;
        }

        /**
         * How many References ids are kept (default 100): when there are more, the first (the
         * thread's root) and the newest, as RFC 5322 suggests for trimming References.
         *
         * @param count at least 1
         */
        public Builder maxReferences(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("maxReferences must be at least 1, was " + count
                        + "; keep at least the root of the thread");
            }
            this.maxReferences = count;
            return this;
        }

        /** The parser with these limits. */
        public HeaderParser build() {
            return new HeaderParser(this);
        }
    }
}
