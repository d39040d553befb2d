/**
 * Connecting: {@link dev.imapsync.connect.ConnectionProber} finds a working, secure endpoint
 * for an account or one classified {@link dev.imapsync.Failure} with a hint.
 */
package dev.imapsync.connect;
