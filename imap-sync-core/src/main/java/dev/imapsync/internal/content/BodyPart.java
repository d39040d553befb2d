package dev.imapsync.internal.content;

import java.util.List;
import java.util.Map;

/**
 * One body of a BODYSTRUCTURE, read: a multipart with its children, a message/rfc822 with the
 * body of the message it holds, or a leaf.
 *
 * @param section     the IMAP part number; for a multipart, the prefix of its children's numbers
 *                    ({@code ""} at the top)
 * @param type        the media type in lower case ({@code multipart} for a multipart)
 * @param subtype     the subtype in lower case
 * @param params      the Content-Type parameters, names in lower case, RFC 2231 values joined and decoded
 * @param id          the Content-ID as sent, or {@code null}
 * @param encoding    the transfer encoding in lower case, {@code 7bit} when absent
 * @param size        the size in bytes, or -1
 * @param disposition the Content-Disposition in lower case, or {@code null}
 * @param dispositionParams its parameters, as {@code params}
 * @param children    the parts of a multipart; empty otherwise
 * @param message     the body of the message a message/rfc822 part holds, or {@code null}
 */
record BodyPart(String section, String type, String subtype, Map<String, String> params, String id, String encoding,
                long size, String disposition, Map<String, String> dispositionParams, List<BodyPart> children,
                BodyPart message) {

    boolean isMultipart() {
        return type.equals("multipart");
    }

    boolean is(String type, String subtype) {
        return this.type.equals(type) && this.subtype.equals(subtype);
    }

    String mimeType() {
        return type + "/" + subtype;
    }

    String param(String name) {
        return params.get(name);
    }

    /** The file name: Content-Disposition's filename, else Content-Type's name; {@code null} when neither. */
    String fileName() {
        String name = dispositionParams.get("filename");
        if (name == null || name.isBlank()) {
            name = params.get("name");
        }
        return name == null || name.isBlank() ? null : name;
    }

    /** Marked as an attachment: disposition attachment, or a file name. */
    boolean isAttachment() {
        return "attachment".equals(disposition) || fileName() != null;
    }
}
