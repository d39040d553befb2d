package dev.imapsync.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.schedule.PassReport.AccountOutcome;
import dev.imapsync.schedule.SchedulerListener;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.sync.SyncListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The engine and the scheduler take one listener: every listener bean hears, whatever another throws. */
class ListenersTest {

    @Test
    void everyListenerHearsEvenAfterOneThrew() {
        List<String> heard = new ArrayList<>();
        SyncListener throwing = new SyncListener() {
            @Override
            public void folderStarted(String accountId, String folder, long estimatedTotal) {
                throw new IllegalStateException("broken listener");
            }
        };
        SyncListener recording = new SyncListener() {
            @Override
            public void folderStarted(String accountId, String folder, long estimatedTotal) {
                heard.add(accountId + "/" + folder + "/" + estimatedTotal);
            }
        };
        Listeners.sync(List.of(throwing, recording)).folderStarted("alice", "INBOX", 12);
        assertThat(heard).containsExactly("alice/INBOX/12");
    }

    @Test
    void theSchedulersListenersToo() {
        List<String> heard = new ArrayList<>();
        SchedulerListener throwing = new SchedulerListener() {
            @Override
            public void accountFinished(AccountOutcome outcome, ScheduleState next) {
                throw new IllegalStateException("broken listener");
            }
        };
        SchedulerListener recording = new SchedulerListener() {
            @Override
            public void accountFinished(AccountOutcome outcome, ScheduleState next) {
                heard.add(outcome.accountId() + " " + outcome.result());
            }
        };
        AccountOutcome outcome = new AccountOutcome("alice", AccountOutcome.Result.SKIPPED, Optional.empty(),
                Optional.empty(), "removed", "", Optional.empty());
        Listeners.scheduler(List.of(throwing, recording)).accountFinished(outcome, null);
        assertThat(heard).containsExactly("alice SKIPPED");
    }

    @Test
    void noneIsNone() {
        assertThat(Listeners.sync(List.of())).isSameAs(SyncListener.NONE);
        assertThat(Listeners.scheduler(List.of())).isSameAs(SchedulerListener.NONE);
    }
}
