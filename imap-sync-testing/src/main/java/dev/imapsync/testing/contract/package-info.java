/**
 * Contract suites: abstract JUnit 5 test classes that check an implementation of one of
 * imap-sync's SPIs against what the SPI promises. Extend one, say how to make the implementation
 * under test, and every check runs against it.
 */
package dev.imapsync.testing.contract;
