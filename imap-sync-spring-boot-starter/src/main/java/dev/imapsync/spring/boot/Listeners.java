package dev.imapsync.spring.boot;

import dev.imapsync.schedule.PassReport.AccountOutcome;
import dev.imapsync.schedule.SchedulerListener;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import dev.imapsync.sync.SyncListener;
import dev.imapsync.sync.SyncReport.FolderReport;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine and the scheduler take one listener each: these hand every call to each of the
 * application's listener beans (the metrics among them), in order; what one throws is logged
 * and does not keep the others from hearing.
 */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private Listeners() {
    }

    /** One {@link SyncListener} for all of {@code listeners}; {@link SyncListener#NONE} for none. */
    static SyncListener sync(List<SyncListener> listeners) {
        if (listeners.isEmpty()) {
            return SyncListener.NONE;
        }
        if (listeners.size() == 1) {
            return listeners.get(0);
        }
        List<SyncListener> all = List.copyOf(listeners);
        return new SyncListener() {
            @Override
            public void folderStarted(String accountId, String folder, long estimatedTotal) {
                each(all, l -> l.folderStarted(accountId, folder, estimatedTotal));
            }

            @Override
            public void batchCommitted(String accountId, String folder, BatchProgress progress) {
                each(all, l -> l.batchCommitted(accountId, folder, progress));
            }

            @Override
            public void folderFinished(String accountId, FolderReport report) {
                each(all, l -> l.folderFinished(accountId, report));
            }
        };
    }

    /** One {@link SchedulerListener} for all of {@code listeners}; {@link SchedulerListener#NONE} for none. */
    static SchedulerListener scheduler(List<SchedulerListener> listeners) {
        if (listeners.isEmpty()) {
            return SchedulerListener.NONE;
        }
        if (listeners.size() == 1) {
            return listeners.get(0);
        }
        List<SchedulerListener> all = List.copyOf(listeners);
        return new SchedulerListener() {
            @Override
            public void accountStarted(String accountId) {
                each(all, l -> l.accountStarted(accountId));
            }

            @Override
            public void accountFinished(AccountOutcome outcome, ScheduleState next) {
                each(all, l -> l.accountFinished(outcome, next));
            }
        };
    }

    private static <L> void each(List<L> listeners, Consumer<L> call) {
        for (L listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("the listener {} threw, ignored: {}", listener.getClass().getName(), e.toString());
            }
        }
    }
}
