package dev.imapsync.internal.message;

import java.time.Instant;

/**
 * Reads a Date header by filling slots (day, month, year, time, zone) from its tokens rather
 * than by matching one pattern, so the forms seen in the wild all land: RFC 5322
 * ({@code Mon, 3 Jun 2024 10:00:00 +0200}), no day name, a day name that does not match the
 * date, two- and three-digit years, obsolete and common zone names ({@code EST}, {@code UT},
 * {@code CEST}, military letters), {@code GMT+02:00}, missing seconds, extra spaces,
 * {@code 03-Jun-2024}, trailing comments like {@code (UTC)}, asctime
 * ({@code Mon Jun  3 10:00:00 2024}), ISO-8601 ({@code 2024-06-03T10:00:00.5Z}) and AM/PM.
 * All-numeric dates like {@code 03/06/2024} are refused: their order cannot be known.
 *
 * <p>No java.time parsing, no allocation but the result: the epoch second is computed directly.
 */
final class DateParser {
    private static final int NONE = Integer.MIN_VALUE;
    private static final int MAX_OFFSET_MINUTES = 18 * 60;
    /** Zone names and their offsets in minutes: RFC 5322's obsolete ones and those mailers still write. */
    private static final String[] ZONES = {"ut", "utc", "gmt", "z", "est", "edt", "cst", "cdt", "mst", "mdt", "pst",
            "pdt", "wet", "west", "bst", "cet", "cest", "met", "mest", "mez", "mesz", "eet", "eest", "msk", "hkt",
            "sgt", "jst", "kst", "aest", "aedt", "nzst", "nzdt"};
    private static final int[] ZONE_MINUTES = {0, 0, 0, 0, -300, -240, -360, -300, -420, -360, -480, -420, 0, 60,
            60, 60, 120, 60, 120, 60, 120, 120, 180, 180, 480, 480, 540, 540, 600, 660, 720, 780};

    /** What a parse found besides the instant. */
    enum Outcome { OK, NO_ZONE, NO_TIME, UNREADABLE }

    private int year;
    private int yearDigits;
    private int month;
    private int day;
    private int hour;
    private int minute;
    private int second;
    private int zone;
    private boolean zoneFromName;
    private boolean zoneIsUniversal;
    private int meridiem;
    private Outcome outcome;

    /** How the last {@link #parse} went. */
    Outcome outcome() {
        return outcome;
    }

    /** The instant written in {@code b[start, end)}, or {@code null} (see {@link #outcome()}). */
    Instant parse(byte[] b, int start, int end) {
        year = NONE;
        yearDigits = 0;
        month = NONE;
        day = NONE;
        hour = NONE;
        minute = 0;
        second = 0;
        zone = NONE;
        zoneFromName = false;
        zoneIsUniversal = false;
        meridiem = 0;
        outcome = Outcome.UNREADABLE;
        if (!read(b, start, end)) {
            return null;
        }
        return toInstant();
    }

    private boolean read(byte[] b, int start, int end) {
        int i = start;
        int before = ' '; // the byte just before the current token
        while (i < end) {
            int c = b[i];
            if (c == '(') {
                i = Bytes.afterComment(b, i, end);
                before = ' ';
                continue;
            }
            if (c >= '0' && c <= '9') {
                int j = i;
                int n = 0;
                while (j < end && b[j] >= '0' && b[j] <= '9') {
                    if (j - i >= 9) {
                        return false; // no part of a date has ten digits
                    }
                    n = n * 10 + (b[j] - '0');
                    j++;
                }
                int digits = j - i;
                i = number(b, j, end, n, digits, before);
                if (i < 0) {
                    return false;
                }
                before = 0;
                continue;
            }
            if (isLetter(c)) {
                int j = i;
                while (j < end && isLetter(b[j])) {
                    j++;
                }
                word(b, i, j);
                i = j;
                before = 0;
                continue;
            }
            before = c;
            i++;
        }
        return true;
    }

    /** Places a number that ends at {@code j}; returns where reading goes on, or -1 when the date is unreadable. */
    private int number(byte[] b, int j, int end, int n, int digits, int before) {
        if (j < end && b[j] == ':' && hour == NONE && digits <= 2) {
            return time(b, j, end, n);
        }
        if (j < end && b[j] == '/') {
            return -1; // 03/06/2024: day and month order unknown
        }
        if ((before == '+' || before == '-') && hour != NONE && (zone == NONE || zoneIsUniversal)) {
            return offset(b, j, end, n, digits, before == '-');
        }
        if (digits == 4 && j + 1 < end && b[j] == '-' && isDigit(b[j + 1]) && year == NONE && month == NONE) {
            return isoDate(b, j, end, n);
        }
        if (digits >= 3) {
            if (year == NONE) {
                year = n;
                yearDigits = digits;
            }
        } else if (day == NONE) {
            day = n;
        } else if (year == NONE) {
            year = n;
            yearDigits = digits;
        }
        return j;
    }

    /** hh:mm[:ss[.fraction]] */
    private int time(byte[] b, int j, int end, int h) {
        int k = j + 1;
        int m = 0;
        int start = k;
        while (k < end && isDigit(b[k]) && k - start < 2) {
            m = m * 10 + (b[k++] - '0');
        }
        if (k == start) {
            return -1;
        }
        int s = 0;
        if (k + 1 < end && b[k] == ':' && isDigit(b[k + 1])) {
            start = ++k;
            while (k < end && isDigit(b[k]) && k - start < 2) {
                s = s * 10 + (b[k++] - '0');
            }
            if (k < end && (b[k] == '.' || b[k] == ',')) {
                k++;
                while (k < end && isDigit(b[k])) {
                    k++; // fractions of a second are below what a history shows
                }
            }
        }
        hour = h;
        minute = m;
        second = s;
        return k;
    }

    /** +hhmm, +hh:mm, +hh, +h */
    private int offset(byte[] b, int j, int end, int n, int digits, boolean negative) {
        int hours;
        int minutes;
        int k = j;
        if (digits >= 3) {
            hours = n / 100;
            minutes = n % 100;
        } else {
            hours = n;
            minutes = 0;
            if (k < end && b[k] == ':' && isDigitAt(b, k + 1, end) && isDigitAt(b, k + 2, end)) {
                minutes = (b[k + 1] - '0') * 10 + (b[k + 2] - '0');
                k += 3;
            }
        }
        int total = hours * 60 + minutes;
        if (digits > 4 || minutes >= 60 || total > MAX_OFFSET_MINUTES) {
            zone = NONE; // an offset no place has: the time is read as UTC, with a warning
            zoneIsUniversal = false;
            return k;
        }
        zone = negative ? -total : total;
        zoneFromName = false;
        zoneIsUniversal = false;
        return k;
    }

    /** yyyy-mm-dd, the year {@code y} already read and {@code j} at the first '-' */
    private int isoDate(byte[] b, int j, int end, int y) {
        int k = j + 1;
        int m = 0;
        int start = k;
        while (k < end && isDigit(b[k]) && k - start < 2) {
            m = m * 10 + (b[k++] - '0');
        }
        if (k == start || k >= end || b[k] != '-') {
            return -1;
        }
        start = ++k;
        int d = 0;
        while (k < end && isDigit(b[k]) && k - start < 2) {
            d = d * 10 + (b[k++] - '0');
        }
        if (k == start) {
            return -1;
        }
        year = y;
        yearDigits = 4;
        month = m;
        day = d;
        return k;
    }

    private void word(byte[] b, int start, int end) {
        int length = end - start;
        if (length > 9) {
            return;
        }
        if (hour != NONE) {
            if (length == 2 && lower(b[start + 1]) == 'm' && (lower(b[start]) == 'a' || lower(b[start]) == 'p')) {
                meridiem = lower(b[start]) == 'p' ? 2 : 1;
                return;
            }
            if (zone == NONE) {
                int minutes = zoneMinutes(b, start, end);
                if (minutes != NONE) {
                    zone = minutes;
                    zoneFromName = true;
                    zoneIsUniversal = minutes == 0;
                    return;
                }
            }
        }
        if (length >= 3 && month == NONE) {
            month = month(lower(b[start]) << 16 | lower(b[start + 1]) << 8 | lower(b[start + 2]));
        }
        // day names, 'T' of ISO-8601, and words no date needs: ignored
    }

    /** The month named by its first three letters, lower case, packed in an int (English and German); or NONE. */
    private static int month(int key) {
        return switch (key) {
            case 'j' << 16 | 'a' << 8 | 'n' -> 1;
            case 'f' << 16 | 'e' << 8 | 'b' -> 2;
            case 'm' << 16 | 'a' << 8 | 'r', 'm' << 16 | 'r' << 8 | 'z' -> 3;
            case 'a' << 16 | 'p' << 8 | 'r' -> 4;
            case 'm' << 16 | 'a' << 8 | 'y', 'm' << 16 | 'a' << 8 | 'i' -> 5;
            case 'j' << 16 | 'u' << 8 | 'n' -> 6;
            case 'j' << 16 | 'u' << 8 | 'l' -> 7;
            case 'a' << 16 | 'u' << 8 | 'g' -> 8;
            case 's' << 16 | 'e' << 8 | 'p' -> 9;
            case 'o' << 16 | 'c' << 8 | 't', 'o' << 16 | 'k' << 8 | 't' -> 10;
            case 'n' << 16 | 'o' << 8 | 'v' -> 11;
            case 'd' << 16 | 'e' << 8 | 'c', 'd' << 16 | 'e' << 8 | 'z' -> 12;
            default -> NONE;
        };
    }

    private static int zoneMinutes(byte[] b, int start, int end) {
        int length = end - start;
        if (length == 1) {
            int c = lower(b[start]);
            // RFC 5322 4.3: the military zones were specified wrongly in RFC 822; read them as UTC
            return c != 'j' ? 0 : NONE;
        }
        for (int k = 0; k < ZONES.length; k++) {
            String name = ZONES[k];
            if (name.length() == length && prefix(b, start, name)) {
                return ZONE_MINUTES[k];
            }
        }
        return NONE;
    }

    private Instant toInstant() {
        if (year == NONE || month == NONE || day == NONE) {
            return null;
        }
        int y = year;
        if (yearDigits <= 2) {
            y += y < 50 ? 2000 : 1900; // RFC 5322 4.3
        } else if (yearDigits == 3) {
            y += 1900;
        }
        if (y > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(y, month)) {
            return null;
        }
        Outcome result = Outcome.OK;
        int h = hour;
        if (h == NONE) {
            h = 0;
            result = Outcome.NO_TIME;
        } else {
            if (meridiem == 2 && h < 12) {
                h += 12;
            } else if (meridiem == 1 && h == 12) {
                h = 0;
            }
            if (h > 23 || minute > 59 || second > 60) {
                return null;
            }
        }
        int offset = zone;
        if (offset == NONE) {
            offset = 0;
            if (result == Outcome.OK) {
                result = Outcome.NO_ZONE;
            }
        }
        int s = Math.min(second, 59); // a leap second is the second before it
        long epochSecond = daysFromCivil(y, month, day) * 86_400L + h * 3600L + minute * 60L + s - offset * 60L;
        outcome = result;
        return Instant.ofEpochSecond(epochSecond);
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
    static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    private static int daysInMonth(int y, int m) {
        if (m == 2) {
            boolean leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            return leap ? 29 : 28;
        }
        return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
    }

    /** Whether the word at {@code start} begins with {@code lowerCase}, ASCII case ignored. */
    private static boolean prefix(byte[] b, int start, String lowerCase) {
        for (int k = 0; k < lowerCase.length(); k++) {
            if (lower(b[start + k]) != lowerCase.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c & 0xFF;
    }

    private static boolean isLetter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isDigitAt(byte[] b, int k, int end) {
        return k < end && isDigit(b[k]);
    }
}
