package dev.imapsync.benchmarks;

import dev.imapsync.internal.message.MessageHeaders;
import dev.imapsync.message.EmailAddress;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.Header;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.field.AddressListField;
import org.apache.james.mime4j.dom.field.DateTimeField;
import org.apache.james.mime4j.dom.field.MailboxField;
import org.apache.james.mime4j.dom.field.MailboxListField;
import org.apache.james.mime4j.dom.field.UnstructuredField;
import org.apache.james.mime4j.field.LenientFieldParser;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * The same extraction as {@code HeaderParser} (addresses with decoded names, normalized through
 * {@link EmailAddress#of}; the decoded subject; the date; normalized ids), done the way an
 * application would do it with Jakarta Mail or with Apache mime4j. Each instance is for one
 * thread ({@link MailDateFormat} is not thread-safe).
 */
final class HeaderBaselines {
    private static final String[] ADDRESS_FIELDS = {"From", "Sender", "Reply-To", "To", "Cc", "Bcc"};

    private HeaderBaselines() {
    }

    /** Jakarta Mail: InternetHeaders, InternetAddress.parseHeader, MimeUtility.decodeText, MailDateFormat. */
    static final class JakartaMail {
        private final MailDateFormat dates = new MailDateFormat();

        MessageHeaders parse(byte[] block) throws MessagingException {
            InternetHeaders headers = new InternetHeaders(new ByteArrayInputStream(block));
            List<List<EmailAddress>> addresses = new ArrayList<>(6);
            for (String name : ADDRESS_FIELDS) {
                List<EmailAddress> list = new ArrayList<>();
                String value = headers.getHeader(name, ",");
                if (value != null) {
                    try {
                        for (InternetAddress a : InternetAddress.parseHeader(value, false)) {
                            if (a.isGroup()) {
                                for (InternetAddress member : a.getGroup(false)) {
                                    list.add(of(member));
                                }
                            } else if (a.getAddress() != null) {
                                list.add(of(a));
                            }
                        }
                    } catch (AddressException e) {
                        // what a lenient application does: keep going without that field
                    }
                }
                addresses.add(list);
            }
            String subject = "";
            String rawSubject = headers.getHeader("Subject", null);
            if (rawSubject != null) {
                try {
                    subject = MimeUtility.decodeText(MimeUtility.unfold(rawSubject)).trim();
                } catch (UnsupportedEncodingException e) {
                    subject = rawSubject;
                }
            }
            Instant date = null;
            String rawDate = headers.getHeader("Date", null);
            if (rawDate != null) {
                try {
                    date = dates.parse(MimeUtility.unfold(rawDate)).toInstant();
                } catch (ParseException e) {
                    // unreadable: no date
                }
            }
            return result(addresses, subject, date, headers.getHeader("Message-ID", null),
                    headers.getHeader("In-Reply-To", null), headers.getHeader("References", " "));
        }

        private static EmailAddress of(InternetAddress a) {
            return EmailAddress.of(a.getPersonal(), a.getAddress());
        }
    }

    /** Apache mime4j: DefaultMessageBuilder with the LenientFieldParser (its address parser and decoders). */
    static final class Mime4j {
        private final DefaultMessageBuilder builder = new DefaultMessageBuilder();

        Mime4j() {
            builder.setFieldParser(LenientFieldParser.getParser());
            builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
            builder.setDecodeMonitor(DecodeMonitor.SILENT);
        }

        MessageHeaders parse(byte[] block) throws IOException, MimeException {
            Header header = builder.parseHeader(new ByteArrayInputStream(block));
            List<List<EmailAddress>> addresses = new ArrayList<>(6);
            for (String name : ADDRESS_FIELDS) {
                List<EmailAddress> list = new ArrayList<>();
                for (Field field : header.getFields(name)) {
                    if (field instanceof MailboxListField f && f.getMailboxList() != null) {
                        f.getMailboxList().forEach(m -> list.add(of(m)));
                    } else if (field instanceof MailboxField f && f.getMailbox() != null) {
                        list.add(of(f.getMailbox()));
                    } else if (field instanceof AddressListField f && f.getAddressList() != null) {
                        addAll(list, f.getAddressList());
                    }
                }
                addresses.add(list);
            }
            String subject = "";
            if (header.getField("Subject") instanceof UnstructuredField f && f.getValue() != null) {
                subject = f.getValue().trim();
            }
            Instant date = null;
            if (header.getField("Date") instanceof DateTimeField f) {
                Date d = f.getDate();
                date = d == null ? null : d.toInstant();
            }
            return result(addresses, subject, date, body(header.getField("Message-ID")),
                    body(header.getField("In-Reply-To")), references(header));
        }

        private static void addAll(List<EmailAddress> list, AddressList addresses) {
            for (Address a : addresses) {
                if (a instanceof Mailbox m) {
                    list.add(of(m));
                } else if (a instanceof Group g) {
                    g.getMailboxes().forEach(m -> list.add(of(m)));
                }
            }
        }

        private static EmailAddress of(Mailbox m) {
            return EmailAddress.of(m.getName(), m.getAddress());
        }

        private static String body(Field field) {
            return field == null ? null : field.getBody();
        }

        private static String references(Header header) {
            List<Field> fields = header.getFields("References");
            if (fields.isEmpty()) {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            for (Field f : fields) {
                sb.append(f.getBody()).append(' ');
            }
            return sb.toString();
        }
    }

    private static MessageHeaders result(List<List<EmailAddress>> a, String subject, Instant date, String messageId,
                                         String inReplyTo, String references) {
        List<String> refs = ids(references);
        List<String> first = ids(messageId);
        List<String> reply = ids(inReplyTo);
        return new MessageHeaders(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4), a.get(5), subject,
                Optional.ofNullable(date), first.stream().findFirst(), reply.stream().findFirst(), refs, List.of());
    }

    /** The ids in angle brackets of a field value, normalized as HeaderParser does, duplicates dropped. */
    static List<String> ids(String value) {
        if (value == null) {
            return List.of();
        }
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        int i = value.indexOf('<');
        while (i >= 0) {
            int end = value.indexOf('>', i + 1);
            if (end < 0) {
                break;
            }
            String id = value.substring(i + 1, end).replaceAll("\\s+", "");
            int at = id.lastIndexOf('@');
            if (at >= 0) {
                id = id.substring(0, at + 1) + id.substring(at + 1).toLowerCase(Locale.ROOT);
            }
            if (!id.isEmpty()) {
                ids.add(id);
            }
            i = value.indexOf('<', end + 1);
        }
        return new ArrayList<>(ids);
    }
}
