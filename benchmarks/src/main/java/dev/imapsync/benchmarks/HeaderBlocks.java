package dev.imapsync.benchmarks;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A realistic, deterministic corpus of header blocks as an IMAP server returns them for
 * {@code BODY.PEEK[HEADER.FIELDS (FROM TO CC BCC REPLY-TO SENDER DATE SUBJECT MESSAGE-ID
 * IN-REPLY-TO REFERENCES)]}: CRLF, the final empty line, fields in the order the message has
 * them. Mostly one to a few recipients, up to 50; names and subjects plain, quoted or RFC 2047
 * encoded in UTF-8 (Q and B, sometimes split over folded words), ISO-8859-1, windows-1251,
 * KOI8-R and ISO-2022-JP; groups; long folded References; dates in the forms mailers write.
 */
final class HeaderBlocks {
    private static final Charset ISO_2022_JP = Charset.forName("ISO-2022-JP");
    private static final Charset WINDOWS_1251 = Charset.forName("windows-1251");
    private static final Charset KOI8_R = Charset.forName("KOI8-R");
    private static final String[] FIRST = {"Anna", "Tom", "Maria", "John", "Lena", "Peter", "Sofia", "David", "Emma",
            "Lukas", "Olivia", "Noah", "Mia", "Ben", "Clara", "Paul"};
    private static final String[] LAST = {"Schmidt", "Weber", "Miller", "Smith", "Fischer", "Meyer", "Wagner",
            "Becker", "Brown", "Taylor", "Wilson", "Moore", "Clark", "Hall"};
    private static final String[] ACCENTED = {"Jörg Müller", "Françoise Lefèvre", "Åsa Öberg", "Zoë Núñez",
            "Søren Kjærgård", "Łukasz Wójcik", "Ilse Groß", "Renée Dubé"};
    private static final String[] CYRILLIC = {"Иван Петров", "Ольга Смирнова", "Дмитрий Козлов"};
    private static final String[] JAPANESE = {"山田太郎", "佐藤花子", "鈴木一郎"};
    private static final String[] DOMAINS = {"gmail.com", "outlook.com", "acme.example", "fabrikam.example",
            "contoso.example", "example.org", "mail.example.de", "yahoo.com", "icloud.com"};
    private static final String[] SUBJECTS = {"Quote for 200 units", "Meeting on Thursday", "Invoice 4711",
            "Project status", "Contract renewal", "Your order has shipped", "Question about the API",
            "Lunch next week?", "Updated proposal attached", "Weekly report"};
    private static final String[] UNICODE_SUBJECTS = {"Angebot für Q3 – überarbeitet", "Grüße aus Köln",
            "Réunion de lundi : ordre du jour", "Småkakor till mötet", "Zamówienie nr 4711 – potwierdzenie",
            "Sommerfest 2024 🎉 Einladung", "„Vertrag“ – bitte prüfen"};
    private static final String[] CYRILLIC_SUBJECTS = {"Счёт на оплату", "Встреча в четверг"};
    private static final String[] JAPANESE_SUBJECTS = {"会議の件", "見積書の送付について"};
    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z",
            Locale.ROOT);

    private final Random random;

    private HeaderBlocks(long seed) {
        this.random = new Random(seed);
    }

    /** {@code count} header blocks, the same for the same seed. */
    static List<byte[]> generate(int count, long seed) {
        HeaderBlocks blocks = new HeaderBlocks(seed);
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(blocks.next(i));
        }
        return out;
    }

    private byte[] next(int n) {
        List<String> fields = new ArrayList<>();
        fields.add("From: " + mailbox());
        int recipients = recipients();
        if (random.nextInt(20) == 0) {
            fields.add("To: undisclosed-recipients:;");
        } else if (random.nextInt(30) == 0) {
            fields.add("To: " + fold("Team: " + list(Math.max(2, recipients)) + ";"));
        } else {
            fields.add("To: " + fold(list(recipients)));
        }
        if (random.nextInt(10) < 3) {
            fields.add("Cc: " + fold(list(1 + random.nextInt(random.nextInt(10) + 1))));
        }
        if (random.nextInt(10) == 0) {
            fields.add("Reply-To: " + mailbox());
        }
        if (random.nextInt(20) == 0) {
            fields.add("Sender: " + mailbox());
        }
        if (random.nextInt(15) == 0) {
            fields.add("Bcc: " + fold(list(1 + random.nextInt(5))));
        }
        fields.add("Subject: " + subject());
        fields.add("Date: " + date());
        String domain = DOMAINS[random.nextInt(DOMAINS.length)];
        fields.add("Message-ID: <" + id(n) + "@" + domain + ">");
        if (random.nextBoolean()) {
            int thread = 1 + random.nextInt(20);
            List<String> ids = new ArrayList<>();
            for (int k = 0; k < thread; k++) {
                ids.add("<" + id(n * 31 + k) + "@" + DOMAINS[random.nextInt(DOMAINS.length)] + ">");
            }
            fields.add("In-Reply-To: " + ids.get(ids.size() - 1));
            fields.add("References: " + String.join("\r\n ", ids));
        }
        // the order mailers write: From and Date first or last, the rest mixed
        List<String> middle = new ArrayList<>(fields.subList(1, fields.size()));
        Collections.shuffle(middle, random);
        List<String> ordered = new ArrayList<>();
        if (random.nextBoolean()) {
            ordered.add(fields.get(0));
            ordered.addAll(middle);
        } else {
            ordered.addAll(middle);
            ordered.add(fields.get(0));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        for (String field : ordered) {
            out.writeBytes(field.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        out.writeBytes(new byte[] {'\r', '\n'});
        return out.toByteArray();
    }

    /** Mostly one, often a few, sometimes up to 50. */
    private int recipients() {
        int r = random.nextInt(100);
        if (r < 55) {
            return 1;
        }
        if (r < 80) {
            return 2 + random.nextInt(4);
        }
        if (r < 95) {
            return 6 + random.nextInt(15);
        }
        return 21 + random.nextInt(30);
    }

    private String list(int count) {
        List<String> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(mailbox());
        }
        return String.join(", ", items);
    }

    /** Folds a long address list after its commas, as mail programs do at about 78 columns. */
    private static String fold(String value) {
        if (value.length() < 70) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length() + 16);
        int column = 4;
        for (String part : value.split(", ")) {
            if (sb.length() > 0) {
                sb.append(',');
                if (column + part.length() > 76) {
                    sb.append("\r\n ");
                    column = 1;
                } else {
                    sb.append(' ');
                    column += 2;
                }
            }
            sb.append(part);
            column += part.length();
        }
        return sb.toString();
    }

    private String mailbox() {
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        String local = random.nextInt(5) == 0 ? first.substring(0, 1) + "." + last : first + "." + last;
        if (random.nextInt(4) == 0) {
            local = local.toLowerCase(Locale.ROOT);
        }
        String address = local + "@" + DOMAINS[random.nextInt(DOMAINS.length)];
        int style = random.nextInt(100);
        if (style < 25) {
            return address;
        }
        if (style < 30) {
            return "<" + address + ">";
        }
        if (style < 55) {
            return first + " " + last + " <" + address + ">";
        }
        if (style < 65) {
            return "\"" + last + ", " + first + "\" <" + address + ">";
        }
        if (style < 82) {
            String name = ACCENTED[random.nextInt(ACCENTED.length)];
            return (random.nextBoolean() ? word(name, StandardCharsets.UTF_8, 'Q') : word(name, StandardCharsets.UTF_8, 'B'))
                    + " <" + address + ">";
        }
        if (style < 87) {
            String name = ACCENTED[random.nextInt(4)];
            return word(name, StandardCharsets.ISO_8859_1, 'Q') + " <" + address + ">";
        }
        if (style < 90) {
            return "\"" + ACCENTED[random.nextInt(ACCENTED.length)] + "\" <" + address + ">"; // raw UTF-8
        }
        if (style < 95) {
            String name = CYRILLIC[random.nextInt(CYRILLIC.length)];
            return word(name, random.nextBoolean() ? WINDOWS_1251 : KOI8_R, 'B') + " <" + address + ">";
        }
        return word(JAPANESE[random.nextInt(JAPANESE.length)], ISO_2022_JP, 'B') + " <" + address + ">";
    }

    private String subject() {
        String prefix = switch (random.nextInt(6)) {
            case 0, 1 -> "Re: ";
            case 2 -> "Fwd: ";
            case 3 -> "AW: ";
            default -> "";
        };
        int kind = random.nextInt(100);
        if (kind < 55) {
            return prefix + SUBJECTS[random.nextInt(SUBJECTS.length)];
        }
        if (kind < 85) {
            String text = prefix + UNICODE_SUBJECTS[random.nextInt(UNICODE_SUBJECTS.length)];
            char encoding = random.nextBoolean() ? 'Q' : 'B';
            return random.nextInt(3) == 0 ? split(text, encoding) : word(text, StandardCharsets.UTF_8, encoding);
        }
        if (kind < 90) {
            return prefix + word("Résumé de la réunion", StandardCharsets.ISO_8859_1, 'Q');
        }
        if (kind < 95) {
            return prefix + word(CYRILLIC_SUBJECTS[random.nextInt(CYRILLIC_SUBJECTS.length)], KOI8_R, 'B');
        }
        return prefix + word(JAPANESE_SUBJECTS[random.nextInt(JAPANESE_SUBJECTS.length)], ISO_2022_JP, 'B');
    }

    /** UTF-8 text as several encoded words on folded lines, split at byte boundaries (even mid-character). */
    private String split(String text, char encoding) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> words = new ArrayList<>();
        int chunk = 12 + random.nextInt(10);
        for (int i = 0; i < bytes.length; i += chunk) {
            byte[] part = java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk));
            words.add(encode(part, "UTF-8", encoding));
        }
        return String.join("\r\n ", words);
    }

    private static String word(String text, Charset charset, char encoding) {
        return encode(text.getBytes(charset), charset.name(), encoding);
    }

    private static String encode(byte[] bytes, String charset, char encoding) {
        StringBuilder sb = new StringBuilder("=?").append(charset).append('?').append(encoding).append('?');
        if (encoding == 'B') {
            sb.append(Base64.getEncoder().encodeToString(bytes));
        } else {
            for (byte b : bytes) {
                int c = b & 0xFF;
                if (c == ' ') {
                    sb.append('_');
                } else if (c > 0x20 && c < 0x7F && c != '=' && c != '?' && c != '_' && c != '"' && c != ',') {
                    sb.append((char) c);
                } else {
                    sb.append('=').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
                }
            }
        }
        return sb.append("?=").toString();
    }

    private String date() {
        long second = 1_704_067_200L + random.nextInt(180 * 86_400); // the first half of 2024
        int offsetHours = new int[] {0, 1, 2, -4, -5, -7, 9, 5}[random.nextInt(8)];
        ZonedDateTime t = Instant.ofEpochSecond(second).atZone(ZoneOffset.ofHours(offsetHours));
        String rfc = RFC_5322.format(t);
        int form = random.nextInt(100);
        if (form < 60) {
            return rfc;
        }
        if (form < 75) {
            return RFC_5322.format(t.withZoneSameInstant(ZoneOffset.UTC)) + " (UTC)";
        }
        if (form < 85) {
            return rfc.substring(0, rfc.length() - 5) + "GMT";
        }
        if (form < 90) {
            return rfc.substring(5); // no day name
        }
        if (form < 93) {
            return DateTimeFormatter.ofPattern("d MMM yy HH:mm Z", Locale.ROOT).format(t); // two-digit year, no seconds
        }
        if (form < 95) {
            return rfc.substring(0, rfc.length() - 5) + "GMT" + String.format(Locale.ROOT, "%+03d:00", offsetHours);
        }
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
    }

    private String id(int n) {
        return Long.toHexString(random.nextLong()).toUpperCase(Locale.ROOT) + "." + n + "." + random.nextInt(100_000);
    }
}
