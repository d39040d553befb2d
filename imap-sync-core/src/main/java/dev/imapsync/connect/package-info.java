/**
 * Connecting: {@link dev.imapsync.connect.ConnectionProber} finds a working, secure endpoint
 * for an account, or one classified {@link dev.imapsync.Failure} with a hint; its
 * {@link dev.imapsync.connect.ProbeResult} lists every
 * {@link dev.imapsync.connect.ProbeResult.ProbeAttempt}, so a person can see what was tried.
 */
package dev.imapsync.connect;
