package dev.imapsync.spring.boot;

import dev.imapsync.schedule.SyncScheduler;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link SyncScheduler} when the application context has started and closes it when
 * the context stops: no more claims, syncs not yet begun withdrawn, running syncs given up to
 * {@code imapsync.scheduler.shutdown-timeout} to end (each batch is committed whole or not at
 * all, so an interrupted one is read again by the next sync), then interrupted. A closed
 * scheduler cannot start again: stopping is for good.
 */
public class SchedulerLifecycle implements SmartLifecycle {
    /**
     * Started late and stopped early: after the web server is up, before its graceful shutdown
     * (phase {@code DEFAULT_PHASE - 1024}). Every phase is stopped before beans such as the
     * DataSource are destroyed, so ending syncs still reach the database.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private final SyncScheduler scheduler;
    private volatile boolean running;

    /** Manages {@code scheduler}. */
    public SchedulerLifecycle(SyncScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void start() {
        scheduler.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        scheduler.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
