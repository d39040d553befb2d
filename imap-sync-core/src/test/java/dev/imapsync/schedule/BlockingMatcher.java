package dev.imapsync.schedule;

import dev.imapsync.contact.ContactMatcher;
import dev.imapsync.contact.ContactRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A contact matcher that holds every sync inside it until the gate opens, and counts how many
 * syncs are inside at once: a real blocking point in the middle of a sync, with its connection open.
 */
final class BlockingMatcher implements ContactMatcher {
    private final CountDownLatch gate = new CountDownLatch(1);
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private final AtomicInteger interrupted = new AtomicInteger();
    private final Object monitor = new Object();

    void open() {
        gate.countDown();
    }

    int inside() {
        return inside.get();
    }

    int mostInside() {
        return mostInside.get();
    }

    int interrupted() {
        return interrupted.get();
    }

    /** Waits (bounded) until {@code count} syncs are inside. */
    void awaitInside(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (inside.get() < count) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " syncs inside the matcher, found " + inside.get());
                }
                monitor.wait(left);
            }
        }
    }

    @Override
    public List<ContactRef> match(String normalizedAddress) {
        return List.of();
    }

    @Override
    public Map<String, List<ContactRef>> matchAll(Set<String> normalizedAddresses) {
        int now = inside.incrementAndGet();
        mostInside.accumulateAndGet(now, Math::max);
        synchronized (monitor) {
            monitor.notifyAll();
        }
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
            return Map.of();
        } catch (InterruptedException e) {
            interrupted.incrementAndGet();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while blocked in the matcher", e);
        } finally {
            inside.decrementAndGet();
        }
    }
}
