package dev.imapsync.policy;

/**
 * A rule that a sync applies to every message before anything of it is recorded or any body
 * byte is fetched. The built-in rules (erased people, blocklist, internal mail, bulk mail) run
 * first; a host application adds its own (for example "never from our HR domain") with
 * {@code SyncEngine.Builder.policy(MessagePolicy)}. The first rule that excludes a message
 * decides; a message one rule marks as bulk can still be excluded by a later one.
 *
 * <p>Implementations are called for every message of every batch, on the sync's thread: they
 * must be fast (no I/O per message), thread-safe and must not throw; a rule that throws fails the
 * batch, which is retried at the next sync.
 */
@FunctionalInterface
public interface MessagePolicy {

    /** The decision on one message, from its header facts. */
    Verdict decide(MessageFacts message);
}
