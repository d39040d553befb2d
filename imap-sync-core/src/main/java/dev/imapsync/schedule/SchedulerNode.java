package dev.imapsync.schedule;

import java.time.Clock;

/**
 * The parts of one scheduler node that its {@link Dispatcher} and its {@link SyncRunner} share,
 * made once by {@link SyncScheduler}: who the node is and its clock, its claims in the leases,
 * the accounts it knows, the syncs it runs, its loop, the policy that decides each account's
 * next run, and the writer of the accounts' statuses. Every part is safe to use from the loop
 * and the sync threads at once.
 *
 * @param nodeId   this node's id in the leases and in every log line
 * @param clock    the clock schedules are read from
 * @param claims   this node's side of the leases
 * @param registry the accounts of the repository that this node knows
 * @param runs     the syncs running, or handed over and not yet begun, on this node
 * @param loop     the loop thread's wake-ups
 * @param policy   when an account runs next
 * @param statuses where each account's status is written
 */
record SchedulerNode(String nodeId, Clock clock, Claims claims, AccountRegistry registry, RunningSyncs runs,
                     SchedulerLoop loop, RetryPolicy policy, StatusWriter statuses) {
}
