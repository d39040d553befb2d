package dev.imapsync.benchmarks;

import dev.imapsync.policy.BlockEntry;
import dev.imapsync.policy.BlockResult;
import dev.imapsync.policy.BulkMail;
import dev.imapsync.policy.ErasureResult;
import dev.imapsync.policy.PrivacyRules;
import dev.imapsync.policy.PrivacySettings;
import dev.imapsync.policy.PrivacyStore;
import dev.imapsync.policy.Retention;
import dev.imapsync.policy.Verdict;
import dev.imapsync.sync.SyncEngine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The privacy rules of the end-to-end cases {@code engine-memory-norules} (no rule runs: internal
 * and bulk mail recorded, nothing blocked or erased) and {@code engine-memory-rules} (every rule
 * runs on every message: 100 blocked addresses and 100 blocked domains, 50 erased people, 20
 * company addresses, 5 declared internal domains and a host rule; none of them in the corpus,
 * so every message is still recorded and the cases compare like for like).
 */
final class BenchPrivacy {
    private BenchPrivacy() {
    }

    /** The account's settings for a case. */
    static PrivacySettings settings(String caseName) {
        if (caseName.equals("engine-memory-norules")) {
            return PrivacySettings.defaults().withRecordInternal(true).withBulkMail(BulkMail.RECORD);
        }
        if (!caseName.equals("engine-memory-rules")) {
            return PrivacySettings.defaults();
        }
        return PrivacySettings.defaults().withInternalDomains(Set.of("acme.example", "acme-labs.example",
                "acme.example.de", "acme-group.example", "acme.example.co.uk"));
    }

    /** Adds the case's rules to an engine. */
    static SyncEngine.Builder rules(String caseName, SyncEngine.Builder engine) {
        if (!caseName.equals("engine-memory-rules")) {
            return engine;
        }
        return engine.privacyStore(new Fixed())
                .policy(m -> m.from().stream().anyMatch(a -> a.normalized().endsWith("@hr.acme.example"))
                        ? Verdict.exclude("hr") : Verdict.record());
    }

    /** A privacy store whose rules never change. */
    private static final class Fixed implements PrivacyStore {
        private final PrivacyRules rules;

        Fixed() {
            List<BlockEntry> blocked = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                blocked.add(BlockEntry.address("blocked" + i + "@private" + i + ".example"));
                blocked.add(BlockEntry.domain("blocked-domain" + i + ".example"));
            }
            Set<String> erased = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                erased.add(PrivacyRules.addressHash("erased" + i + "@gone.example"));
            }
            Set<String> company = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                company.add("rep" + i + "@acme.example");
            }
            rules = new PrivacyRules(blocked, erased, company);
        }

        @Override
        public PrivacyRules rules(String accountId) {
            return rules;
        }

        @Override
        public BlockResult block(BlockEntry entry) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean unblock(BlockEntry entry) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<BlockEntry> blockEntries() {
            return rules.blocked();
        }

        @Override
        public List<BlockEntry> revisits(String accountId) {
            return List.of();
        }

        @Override
        public void revisited(String accountId, List<BlockEntry> entries) {
        }

        @Override
        public ErasureResult erase(String address) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Retention.Result applyRetention(Retention retention, Instant now) {
            return new Retention.Result(0, 0, 0);
        }
    }
}
