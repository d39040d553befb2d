package dev.imapsync.schedule;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a throttling server asks for out of its response text: Office 365's
 * {@code Suggested Backoff Time: 28000 milliseconds}, a {@code retry after 30 seconds}, and the
 * connection limits of Gmail ({@code Too many simultaneous connections}, {@code [OVERQUOTA]})
 * that call for a wait of at least a minute.
 */
final class ThrottleAdvice {
    /** The shortest wait a server can ask for: a "0 ms" must not turn into a tight retry loop. */
    static final Duration SHORTEST = Duration.ofSeconds(1);
    /** The longest wait a server can ask for: a garbled or hostile number must not park an account for years. */
    static final Duration LONGEST = Duration.ofDays(1);
    /** The least wait after a connection limit: the other connections need time to end. */
    static final Duration CONNECTION_LIMIT_WAIT = Duration.ofMinutes(1);

    private static final String UNIT = "(milliseconds?|millisecs?|millis|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m)?";
    // Office 365: "Suggested Backoff Time: 28000 milliseconds"; a bare number there is milliseconds
    private static final Pattern SUGGESTED = Pattern.compile(
            "suggested\\s+back-?off(?:\\s+time)?\\s*[:=]?\\s*(\\d{1,15})\\s*" + UNIT + "(?![a-z])",
            Pattern.CASE_INSENSITIVE);
    // "retry after 30 seconds", "try again in 2 minutes"; a bare number there is seconds
    private static final Pattern RETRY = Pattern.compile(
            "(?:retry|try\\s+again)\\s*(?:-\\s*)?(?:after|in)\\s*[:=]?\\s*(\\d{1,15})\\s*" + UNIT + "(?![a-z])",
            Pattern.CASE_INSENSITIVE);

    private ThrottleAdvice() {
    }

    /**
     * The wait the server asks for in {@code text}, if it names one, kept within
     * {@link #SHORTEST} and {@link #LONGEST}.
     */
    static Optional<Duration> suggestedWait(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        Matcher suggested = SUGGESTED.matcher(text);
        if (suggested.find()) {
            return Optional.of(bounded(suggested.group(1), suggested.group(2), "ms"));
        }
        Matcher retry = RETRY.matcher(text);
        if (retry.find()) {
            return Optional.of(bounded(retry.group(1), retry.group(2), "s"));
        }
        return Optional.empty();
    }

    /**
     * Whether {@code text} reports a limit on connections or usage (Gmail's "Too many
     * simultaneous connections", {@code [OVERQUOTA]}), after which a retry needs at least
     * {@link #CONNECTION_LIMIT_WAIT}.
     */
    static boolean isConnectionLimit(String text) {
        if (text == null) {
            return false;
        }
        String t = text.toUpperCase(Locale.ROOT);
        return t.contains("TOO MANY SIMULTANEOUS") || t.contains("TOO MANY CONNECTIONS") || t.contains("[OVERQUOTA]");
    }

    /**
     * The wait after a THROTTLED attempt: what the server asks for if it says, else the backoff,
     * but at least {@link #CONNECTION_LIMIT_WAIT} after a connection limit.
     */
    static Duration waitAfterThrottling(String text, Duration backoff) {
        Optional<Duration> asked = suggestedWait(text);
        if (asked.isPresent()) {
            return asked.get();
        }
        if (isConnectionLimit(text) && backoff.compareTo(CONNECTION_LIMIT_WAIT) < 0) {
            return CONNECTION_LIMIT_WAIT;
        }
        return backoff;
    }

    private static Duration bounded(String digits, String unit, String defaultUnit) {
        long amount = Long.parseLong(digits);
        String u = (unit == null ? defaultUnit : unit).toLowerCase(Locale.ROOT);
        long millis;
        if (u.equals("m") || u.startsWith("min")) {
            millis = amount > LONGEST.toMinutes() ? Long.MAX_VALUE : amount * 60_000;
        } else if (u.startsWith("m")) {
            millis = amount; // ms, msec(s), millis, millisecond(s)
        } else {
            millis = amount > LONGEST.toSeconds() ? Long.MAX_VALUE : amount * 1000; // s, sec(s), second(s)
        }
        if (millis < SHORTEST.toMillis()) {
            return SHORTEST;
        }
        return millis > LONGEST.toMillis() ? LONGEST : Duration.ofMillis(millis);
    }
}
