package dev.imapsync.benchmarks;

import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.InMemoryContactMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Look-ups of email addresses in {@link InMemoryContactMatcher} holding 1,000,000 contacts with
 * one to three addresses each (about 2,000,000 addresses), on one thread. Scores are look-ups
 * per second; the goal is at least 10 million on one core.
 * <ul>
 *   <li>{@code match}: one look-up per operation over 65,536 normalized addresses, 30% of them
 *       a contact's, 70% nobody's, as in a mailbox where most correspondents are not contacts;</li>
 *   <li>{@code matchNotNormalized}: the same addresses capitalized, so every look-up takes the
 *       slow path that normalizes first (what a caller that skips normalization pays);</li>
 *   <li>{@code matchAll}: one call with the 1,000 distinct addresses of a 500-message batch,
 *       as the sync makes it, the batches taken in turn from the same 65,536 addresses (so that
 *       the caches hold no more of the table than for {@code match}); the score counts
 *       addresses;</li>
 *   <li>{@code hashMapBaseline}: {@code HashMap.get} over the same addresses, for comparison;
 *       it answers exact keys only, without the check that lets {@code match} accept addresses
 *       that are not normalized.</li>
 * </ul>
 * The table is far larger than the CPU caches and the addresses are spread over it at random,
 * so a look-up waits for memory: {@code matchAll} is faster because it overlaps those waits.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Threads(1)
public class AddressMatchingBenchmark {
    private static final int LOOKUPS = 1 << 16;
    private static final int HIT_PERCENT = 30;
    private static final int BATCH_ADDRESSES = 1_000;

    private InMemoryContactMatcher matcher;
    private Map<String, List<ContactRef>> hashMap;
    private String[] lookups;
    private String[] notNormalized;
    private List<Set<String>> batches;
    private int cursor;
    private int batchCursor;

    @Setup(Level.Trial)
    public void load() {
        long before = usedHeap();
        matcher = MatchingData.matcher();
        long after = usedHeap();
        System.out.printf("%n%s, about %d bytes per address%n", matcher, (after - before) / matcher.size());
        lookups = MatchingData.lookups(LOOKUPS, HIT_PERCENT, 1);
        notNormalized = MatchingData.capitalized(lookups);
        batches = new ArrayList<>();
        Set<String> batch = new LinkedHashSet<>();
        for (String lookup : lookups) {
            batch.add(lookup);
            if (batch.size() == BATCH_ADDRESSES) {
                batches.add(batch);
                batch = new LinkedHashSet<>();
            }
        }
        hashMap = new HashMap<>();
        for (int n = 0; n < MatchingData.CONTACTS; n++) {
            for (String address : MatchingData.addresses(n)) {
                hashMap.put(address, matcher.match(address));
            }
        }
        int hits = 0;
        for (String lookup : lookups) {
            hits += matcher.match(lookup).isEmpty() ? 0 : 1;
        }
        System.out.printf("%d of %d look-ups match a contact; %d batches of %d%n", hits, LOOKUPS, batches.size(),
                BATCH_ADDRESSES);
    }

    @Benchmark
    public List<ContactRef> match() {
        return matcher.match(lookups[cursor++ & (LOOKUPS - 1)]);
    }

    @Benchmark
    public List<ContactRef> matchNotNormalized() {
        return matcher.match(notNormalized[cursor++ & (LOOKUPS - 1)]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_ADDRESSES)
    public Map<String, List<ContactRef>> matchAll() {
        Set<String> batch = batches.get(batchCursor);
        batchCursor = batchCursor + 1 == batches.size() ? 0 : batchCursor + 1;
        return matcher.matchAll(batch);
    }

    @Benchmark
    public List<ContactRef> hashMapBaseline() {
        return hashMap.get(lookups[cursor++ & (LOOKUPS - 1)]);
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
