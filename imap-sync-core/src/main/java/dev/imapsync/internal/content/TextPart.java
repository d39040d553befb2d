package dev.imapsync.internal.content;

import java.util.Objects;

/**
 * The part of a message whose first bytes make its preview, as BODYSTRUCTURE describes it.
 *
 * @param section          the IMAP part number for {@code BODY[section]} ({@code 1}, {@code 1.2}, …;
 *                         a single-part message is {@code 1})
 * @param html             text/html rather than text/plain
 * @param charset          the charset parameter as the sender wrote it, {@code us-ascii} when absent
 * @param transferEncoding the Content-Transfer-Encoding in lower case, {@code 7bit} when absent
 * @param flowed           {@code format=flowed} (RFC 3676)
 * @param delSp            {@code delsp=yes} with {@code format=flowed}
 * @param size             the size of the encoded part in bytes, or -1 when unknown
 */
public record TextPart(String section, boolean html, String charset, String transferEncoding, boolean flowed,
                       boolean delSp, long size) {
    /** Validates that all parts are present. */
    public TextPart {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(charset, "charset");
        Objects.requireNonNull(transferEncoding, "transferEncoding");
    }
}
