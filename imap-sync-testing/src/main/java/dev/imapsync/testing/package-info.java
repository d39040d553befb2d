/**
 * The imap-sync test kit: real and scripted IMAP servers ({@link dev.imapsync.testing.GreenMailExtension},
 * {@link dev.imapsync.testing.GreenMailTls}, {@link dev.imapsync.testing.ScriptedImapServer}), network
 * faults ({@link dev.imapsync.testing.FaultyProxy}), certificates made at test time, a settable clock,
 * bounded polling and child JVMs. For tests only: nothing here is meant for production code.
 */
package dev.imapsync.testing;
