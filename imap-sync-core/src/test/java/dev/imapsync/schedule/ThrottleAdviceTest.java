package dev.imapsync.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThrottleAdviceTest {

    @Test
    void readsOffice365sSuggestedBackoffTime() {
        assertThat(ThrottleAdvice.suggestedWait("Account a at outlook.office365.com:993 (ssl): the server asks to slow"
                + " down: Request is throttled. Suggested Backoff Time: 28000 milliseconds."))
                .contains(Duration.ofSeconds(28));
        assertThat(ThrottleAdvice.suggestedWait("NO [THROTTLED] suggested backoff time: 196234 MILLISECONDS"))
                .contains(Duration.ofMillis(196_234));
        assertThat(ThrottleAdvice.suggestedWait("Suggested Backoff Time:1500ms")).contains(Duration.ofMillis(1500));
        assertThat(ThrottleAdvice.suggestedWait("Suggested Backoff Time: 5000")).as("bare: milliseconds")
                .contains(Duration.ofSeconds(5));
        assertThat(ThrottleAdvice.suggestedWait("Suggested backoff time: 30 seconds")).contains(Duration.ofSeconds(30));
        assertThat(ThrottleAdvice.suggestedWait("SUGGESTED BACKOFF TIME = 2 min")).contains(Duration.ofMinutes(2));
    }

    @Test
    void readsRetryAfterInSecondsWhenNoUnitIsGiven() {
        assertThat(ThrottleAdvice.suggestedWait("NO [LIMIT] rate limit, retry after 45")).contains(Duration.ofSeconds(45));
        assertThat(ThrottleAdvice.suggestedWait("try again in 3 minutes")).contains(Duration.ofMinutes(3));
        assertThat(ThrottleAdvice.suggestedWait("Retry-After: 20 s")).contains(Duration.ofSeconds(20));
    }

    @Test
    void keepsWhatTheServerAsksWithinReason() {
        assertThat(ThrottleAdvice.suggestedWait("Suggested Backoff Time: 0 milliseconds"))
                .contains(ThrottleAdvice.SHORTEST);
        assertThat(ThrottleAdvice.suggestedWait("Suggested Backoff Time: 999999999999999 milliseconds"))
                .contains(ThrottleAdvice.LONGEST);
        assertThat(ThrottleAdvice.suggestedWait("retry after 999999999 seconds")).contains(ThrottleAdvice.LONGEST);
    }

    @Test
    void findsNothingWhereNothingIsAsked() {
        assertThat(ThrottleAdvice.suggestedWait("NO [UNAVAILABLE] Too many simultaneous connections")).isEmpty();
        assertThat(ThrottleAdvice.suggestedWait("Suggested Backoff Time: soon")).isEmpty();
        assertThat(ThrottleAdvice.suggestedWait("")).isEmpty();
        assertThat(ThrottleAdvice.suggestedWait(null)).isEmpty();
    }

    @Test
    void gmailsConnectionLimitsWaitAtLeastAMinute() {
        Duration shortBackoff = Duration.ofSeconds(20);
        assertThat(ThrottleAdvice.waitAfterThrottling("NO [UNAVAILABLE] Too many simultaneous connections. (Failure)",
                shortBackoff)).isEqualTo(Duration.ofMinutes(1));
        assertThat(ThrottleAdvice.waitAfterThrottling("NO [OVERQUOTA] Account exceeded command or bandwidth limits.",
                shortBackoff)).isEqualTo(Duration.ofMinutes(1));
        assertThat(ThrottleAdvice.waitAfterThrottling("NO [OVERQUOTA] too much", Duration.ofMinutes(8)))
                .isEqualTo(Duration.ofMinutes(8));
        assertThat(ThrottleAdvice.waitAfterThrottling("NO [LIMIT] bandwidth limit", shortBackoff)).isEqualTo(shortBackoff);
        assertThat(ThrottleAdvice.waitAfterThrottling("Suggested Backoff Time: 28000 milliseconds", Duration.ofHours(1)))
                .as("the server's word wins over the backoff").isEqualTo(Duration.ofSeconds(28));
    }
}
