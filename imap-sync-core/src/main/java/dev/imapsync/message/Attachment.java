package dev.imapsync.message;

import java.util.Objects;
import java.util.Optional;

/**
 * One attachment (or inline part) of a message, as its MIME structure describes it: nothing of
 * its content is downloaded to know it.
 *
 * @param part      the IMAP part number ({@code 2}, {@code 1.3}, …), to fetch this part on demand
 * @param name      the file name (RFC 2231 and RFC 2047 names decoded), or empty when the sender gave none
 * @param mimeType  {@code type/subtype} in lower case, e.g. {@code application/pdf}
 * @param size      the size in bytes as the server reports it (of the encoded part: base64 is a
 *                  third larger than the file), or -1 when unknown
 * @param inline    whether the sender marked it inline (shown in the text, such as a logo) rather
 *                  than as an attachment
 * @param contentId the Content-ID without angle brackets, how HTML refers to an inline image
 *                  ({@code cid:…}), or empty
 */
public record Attachment(String part, String name, String mimeType, long size, boolean inline,
                         Optional<String> contentId) {
    /** Validates that all parts are present. */
    public Attachment {
        Objects.requireNonNull(part, "part");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(contentId, "contentId");
    }
}
