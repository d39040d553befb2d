package dev.imapsync.internal.mail;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Parses IMAP INTERNALDATE values ({@code "17-Jul-1996 02:44:25 -0700"}) without allocating a formatter. */
final class InternalDates {
    private static final String MONTHS = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";

    private InternalDates() {
    }

    /** Epoch milliseconds, or -1 when the value is not a valid INTERNALDATE. */
    static long parse(String value) {
        if (value == null) {
            return -1;
        }
        String v = value.trim();
        try {
            int dash1 = v.indexOf('-');
            int dash2 = v.indexOf('-', dash1 + 1);
            int space1 = v.indexOf(' ', dash2 + 1);
            int space2 = v.indexOf(' ', space1 + 1);
            if (dash1 < 1 || dash2 < 0 || space1 < 0 || space2 < 0 || v.length() - space2 - 1 != 5) {
                return -1;
            }
            int day = Integer.parseInt(v, 0, dash1, 10);
            int month = MONTHS.indexOf(v.substring(dash1 + 1, dash2).toUpperCase(java.util.Locale.ROOT));
            if (month < 0 || month % 3 != 0 || dash2 - dash1 != 4) {
                return -1;
            }
            int year = Integer.parseInt(v, dash2 + 1, space1, 10);
            String time = v.substring(space1 + 1, space2);
            if (time.length() != 8 || time.charAt(2) != ':' || time.charAt(5) != ':') {
                return -1;
            }
            int hour = Integer.parseInt(time, 0, 2, 10);
            int minute = Integer.parseInt(time, 3, 5, 10);
            int second = Integer.parseInt(time, 6, 8, 10);
            char sign = v.charAt(space2 + 1);
            int zh = Integer.parseInt(v, space2 + 2, space2 + 4, 10);
            int zm = Integer.parseInt(v, space2 + 4, space2 + 6, 10);
            if (sign != '+' && sign != '-') {
                return -1;
            }
            int offsetSeconds = (sign == '-' ? -1 : 1) * (zh * 3600 + zm * 60);
            return LocalDateTime.of(year, month / 3 + 1, day, hour, minute, second)
                    .toEpochSecond(ZoneOffset.ofTotalSeconds(offsetSeconds)) * 1000L;
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
