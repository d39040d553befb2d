package dev.imapsync.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.schedule.spi.AccountLeases;
import dev.imapsync.schedule.spi.AccountLeases.LeaseClaim;
import dev.imapsync.schedule.spi.AccountLeases.ScheduleState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AccountLeases} promises, as JUnit 5 tests, run against an implementation by
 * a subclass that says how to make an empty schedule: imap-sync runs them against the in-memory
 * leases and {@code JdbcLeases} (H2, PostgreSQL, MariaDB); an implementation over another store
 * runs them the same way.
 *
 * <p>Times are whole seconds, so that every database stores them exactly. "Nodes" are the
 * objects {@link #sameScheduleAs} gives: the same object in memory, separate instances over
 * one database for JDBC.
 */
public abstract class AccountLeasesContract {
    /** The time every test starts from; times are whole seconds after it. */
    protected static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");
    private static final String NODE_A = "node-a";
    private static final String NODE_B = "node-b";

    /** The leases under test, made by {@link #newLeases()} before each test. */
    protected AccountLeases leases;

    /** A new, empty schedule; called before each test. */
    protected abstract AccountLeases newLeases();

    /**
     * Another node's view of the schedule {@code leases} keeps; by default the same object
     * (one process). Implementations shared through a database return a separate instance.
     */
    protected AccountLeases sameScheduleAs(AccountLeases leases) {
        return leases;
    }

    @BeforeEach
    final void createLeases() {
        leases = newLeases();
    }

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void knowsNothingOfAnUnknownAccount() {
        assertThat(leases.state("nobody")).isEmpty();
        assertThat(leases.accountIds()).isEmpty();
        assertThat(leases.claimDue(NODE_A, at(0), at(60), 10)).isEmpty();
        assertThat(leases.dueNow("nobody", at(0))).isFalse();
    }

    @Test
    void registersNewAccountsDueAtTheirFirstRunAndIsIdempotent() {
        leases.register(Map.of("a", at(0), "b", at(60)));

        assertThat(leases.state("a")).contains(ScheduleState.firstRunAt(at(0)));
        assertThat(leases.state("b")).contains(ScheduleState.firstRunAt(at(60)));

        leases.register(Map.of("a", at(999), "c", at(5)));
        leases.register(Map.of());

        assertThat(leases.accountIds()).containsExactly("a", "b", "c");
        assertThat(leases.state("a")).contains(ScheduleState.firstRunAt(at(0)));
        assertThat(leases.state("c")).contains(ScheduleState.firstRunAt(at(5)));
    }

    @Test
    void registeringAgainKeepsTheStateAndAClaimHeldNow() {
        leases.register(Map.of("a", at(0)));
        LeaseClaim first = single(leases.claimDue(NODE_A, at(0), at(60), 10));
        ScheduleState written = new ScheduleState(at(300), 2, OptionalLong.of(7));
        assertThat(leases.release(first, written)).isTrue();

        leases.register(Map.of("a", at(0)));
        assertThat(leases.state("a")).contains(written);

        LeaseClaim held = single(leases.claimDue(NODE_A, at(300), at(360), 10));
        sameScheduleAs(leases).register(Map.of("a", at(0)));
        assertThat(sameScheduleAs(leases).claimDue(NODE_B, at(300), at(360), 10)).isEmpty();
        assertThat(leases.heartbeat(held, at(400))).isPresent();
    }

    @Test
    void nodesMayRegisterTheSameAccountsAtOnce() throws Exception {
        Map<String, Instant> accounts = new LinkedHashMap<>();
        for (int i = 0; i < 120; i++) {
            accounts.put(String.format("acct-%03d", i), at(i));
        }
        int nodes = 6;
        List<AccountLeases> views = views(nodes);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (AccountLeases view : views) {
            tasks.add(() -> {
                start.await();
                view.register(accounts);
                return null;
            });
        }
        runAll(tasks, start);

        assertThat(leases.accountIds()).containsExactlyElementsOf(accounts.keySet());
        assertThat(leases.state("acct-042")).contains(ScheduleState.firstRunAt(at(42)));
    }

    @Test
    void claimsOnlyDueAccountsThatNoLiveClaimHolds() {
        leases.register(Map.of("a", at(-60), "b", at(0), "c", at(1)));

        List<LeaseClaim> claims = leases.claimDue(NODE_A, at(0), at(60), 10);

        assertThat(claims).extracting(LeaseClaim::accountId).containsExactly("a", "b");
        LeaseClaim a = claims.get(0);
        assertThat(a.node()).isEqualTo(NODE_A);
        assertThat(a.leaseUntil()).isEqualTo(at(60));
        assertThat(a.state()).isEqualTo(ScheduleState.firstRunAt(at(-60)));
        assertThat(claims.get(1).state()).isEqualTo(ScheduleState.firstRunAt(at(0)));

        AccountLeases other = sameScheduleAs(leases);
        assertThat(other.claimDue(NODE_B, at(0), at(60), 10)).isEmpty();
        assertThat(other.claimDue(NODE_B, at(30), at(90), 10)).extracting(LeaseClaim::accountId).containsExactly("c");
        assertThat(leases.claimDue(NODE_A, at(59), at(120), 10)).isEmpty();
    }

    @Test
    void claimsTheEarliestDueFirstAndNoMoreThanTheLimit() {
        leases.register(Map.of("e", at(-10), "d", at(-20), "c", at(-30), "b", at(-40), "a", at(-40)));

        assertThat(leases.claimDue(NODE_A, at(0), at(60), 0)).isEmpty();
        assertThat(leases.claimDue(NODE_A, at(0), at(60), 2)).extracting(LeaseClaim::accountId)
                .containsExactly("a", "b");
        assertThat(sameScheduleAs(leases).claimDue(NODE_B, at(0), at(60), 2)).extracting(LeaseClaim::accountId)
                .containsExactly("c", "d");
        assertThat(leases.claimDue(NODE_A, at(0), at(60), 2)).extracting(LeaseClaim::accountId)
                .containsExactly("e");
        assertThat(leases.claimDue(NODE_A, at(0), at(60), 2)).isEmpty();
    }

    @Test
    void twoNodesNeverWinTheSameAccount() throws Exception {
        int accounts = 60;
        int nodes = 6;
        int rounds = 3;
        Map<String, Instant> firstRuns = new HashMap<>();
        for (int i = 0; i < accounts; i++) {
            firstRuns.put(String.format("acct-%03d", i), at(-i));
        }
        leases.register(firstRuns);
        List<AccountLeases> views = views(nodes);

        for (int round = 0; round < rounds; round++) {
            // each round an hour later: every account is due, and the last round's leases lapsed
            Instant now = at(3600L * round);
            Instant leaseUntil = now.plus(Duration.ofMinutes(10));
            Map<String, List<String>> winners = new ConcurrentHashMap<>();
            AtomicInteger won = new AtomicInteger();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int n = 0; n < nodes; n++) {
                String node = "node-" + n;
                AccountLeases view = views.get(n);
                tasks.add(() -> {
                    start.await();
                    while (won.get() < accounts && System.nanoTime() < deadline) {
                        List<LeaseClaim> claims = view.claimDue(node, now, leaseUntil, 4);
                        for (LeaseClaim claim : claims) {
                            assertThat(claim.node()).isEqualTo(node);
                            winners.computeIfAbsent(claim.accountId(), k -> new CopyOnWriteArrayList<>()).add(node);
                        }
                        won.addAndGet(claims.size());
                        if (claims.isEmpty()) {
                            Thread.yield();
                        }
                    }
                    return null;
                });
            }
            runAll(tasks, start);

            assertThat(winners.keySet()).as("round %d", round).containsExactlyInAnyOrderElementsOf(firstRuns.keySet());
            for (Map.Entry<String, List<String>> e : winners.entrySet()) {
                assertThat(e.getValue()).as("nodes that won %s in round %d", e.getKey(), round).hasSize(1);
            }
            assertThat(leases.claimDue("late", now, leaseUntil, accounts)).isEmpty();
        }
    }

    @Test
    void aLapsedClaimIsTakenOverAndItsFormerHolderWritesNothing() {
        leases.register(Map.of("a", at(0)));
        AccountLeases other = sameScheduleAs(leases);
        LeaseClaim stalled = single(leases.claimDue(NODE_A, at(0), at(60), 10));

        assertThat(other.claimDue(NODE_B, at(30), at(90), 10)).isEmpty();
        LeaseClaim takenOver = single(other.claimDue(NODE_B, at(61), at(121), 10));
        assertThat(takenOver.node()).isEqualTo(NODE_B);
        assertThat(takenOver.state()).isEqualTo(ScheduleState.firstRunAt(at(0)));

        assertThat(leases.heartbeat(stalled, at(200))).isEmpty();
        assertThat(leases.release(stalled, new ScheduleState(at(5000), 9, OptionalLong.of(3)))).isFalse();
        assertThat(leases.state("a")).contains(ScheduleState.firstRunAt(at(0)));
        assertThat(leases.claimDue(NODE_A, at(100), at(160), 10)).as("still held by node B").isEmpty();

        ScheduleState next = new ScheduleState(at(400), 0, OptionalLong.empty());
        assertThat(other.release(takenOver, next)).isTrue();
        assertThat(leases.state("a")).contains(next);
    }

    @Test
    void aHeartbeatExtendsTheClaim() {
        leases.register(Map.of("a", at(0)));
        LeaseClaim claim = single(leases.claimDue(NODE_A, at(0), at(60), 10));

        LeaseClaim extended = leases.heartbeat(claim, at(600)).orElseThrow();

        assertThat(extended.accountId()).isEqualTo("a");
        assertThat(extended.node()).isEqualTo(NODE_A);
        assertThat(extended.leaseUntil()).isEqualTo(at(600));
        assertThat(extended.state()).isEqualTo(claim.state());
        assertThat(sameScheduleAs(leases).claimDue(NODE_B, at(120), at(180), 10)).as("held past the first lease")
                .isEmpty();
        LeaseClaim again = leases.heartbeat(extended, at(900)).orElseThrow();
        assertThat(sameScheduleAs(leases).claimDue(NODE_B, at(700), at(760), 10)).isEmpty();
        assertThat(leases.release(again, new ScheduleState(at(1000), 0, OptionalLong.empty()))).isTrue();
    }

    @Test
    void releaseWritesTheNextStateAndFreesTheAccount() {
        leases.register(Map.of("a", at(0)));
        LeaseClaim claim = single(leases.claimDue(NODE_A, at(0), at(60), 10));
        ScheduleState next = new ScheduleState(at(300), 3, OptionalLong.of(42));

        assertThat(leases.release(claim, next)).isTrue();

        assertThat(leases.state("a")).contains(next);
        assertThat(leases.release(claim, ScheduleState.firstRunAt(at(0)))).as("released twice").isFalse();
        assertThat(leases.state("a")).contains(next);
        assertThat(leases.claimDue(NODE_B, at(299), at(360), 10)).as("not due yet").isEmpty();
        LeaseClaim nextClaim = single(sameScheduleAs(leases).claimDue(NODE_B, at(300), at(360), 10));
        assertThat(nextClaim.state()).isEqualTo(next);
        assertThat(leases.heartbeat(claim, at(400))).as("the old claim").isEmpty();
    }

    @Test
    void dueNowMakesAnAccountDueAndClearsAStop() {
        leases.register(Map.of("a", at(0)));
        LeaseClaim claim = single(leases.claimDue(NODE_A, at(0), at(60), 10));
        assertThat(leases.release(claim, new ScheduleState(at(3600), 1, OptionalLong.of(5)))).isTrue();

        assertThat(sameScheduleAs(leases).dueNow("a", at(10))).isTrue();

        assertThat(leases.state("a")).contains(new ScheduleState(at(10), 1, OptionalLong.empty()));
        LeaseClaim again = single(leases.claimDue(NODE_A, at(10), at(70), 10));
        assertThat(again.state()).isEqualTo(new ScheduleState(at(10), 1, OptionalLong.empty()));
    }

    @Test
    void dueNowLeavesAClaimHeldNowUndisturbed() {
        leases.register(Map.of("a", at(0)));
        LeaseClaim first = single(leases.claimDue(NODE_A, at(0), at(60), 10));
        assertThat(leases.release(first, new ScheduleState(at(100), 1, OptionalLong.of(5)))).isTrue();
        LeaseClaim held = single(leases.claimDue(NODE_A, at(100), at(160), 10));
        AccountLeases other = sameScheduleAs(leases);

        assertThat(other.dueNow("a", at(110))).isTrue();

        assertThat(leases.state("a")).contains(new ScheduleState(at(110), 1, OptionalLong.empty()));
        assertThat(other.claimDue(NODE_B, at(110), at(170), 10)).as("still held").isEmpty();
        LeaseClaim extended = leases.heartbeat(held, at(200)).orElseThrow();
        ScheduleState next = new ScheduleState(at(400), 0, OptionalLong.empty());
        assertThat(leases.release(extended, next)).isTrue();
        assertThat(leases.state("a")).contains(next);
    }

    @Test
    void unregisterRemovesEntriesAndEndsTheirClaims() {
        leases.register(Map.of("a", at(0), "b", at(0)));
        LeaseClaim claim = leases.claimDue(NODE_A, at(0), at(60), 1).get(0);
        assertThat(claim.accountId()).isEqualTo("a");

        sameScheduleAs(leases).unregister(List.of("a", "never-registered"));
        leases.unregister(List.of());

        assertThat(leases.accountIds()).containsExactly("b");
        assertThat(leases.state("a")).isEmpty();
        assertThat(leases.heartbeat(claim, at(120))).isEmpty();
        assertThat(leases.release(claim, ScheduleState.firstRunAt(at(300)))).isFalse();
        assertThat(leases.dueNow("a", at(10))).isFalse();
        assertThat(leases.state("a")).isEmpty();
        assertThat(leases.claimDue(NODE_A, at(10), at(70), 10)).extracting(LeaseClaim::accountId).containsExactly("b");

        leases.register(Map.of("a", at(20)));
        assertThat(leases.state("a")).contains(ScheduleState.firstRunAt(at(20)));
    }

    private List<AccountLeases> views(int nodes) {
        List<AccountLeases> views = new ArrayList<>();
        views.add(leases);
        for (int i = 1; i < nodes; i++) {
            views.add(sameScheduleAs(leases));
        }
        return views;
    }

    private static void runAll(List<Callable<Void>> tasks, CountDownLatch start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Void> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    private static LeaseClaim single(List<LeaseClaim> claims) {
        assertThat(claims).hasSize(1);
        return claims.get(0);
    }
}
