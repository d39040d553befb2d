/**
 * IMAP plumbing behind the public API: {@code internal.transport} (transport checks, TLS
 * settings, framing limits, failure classification), {@code internal.mail} (sessions, login and
 * folder reading over Angus Mail) and {@code internal.message} (the header parser). Not
 * supported API: anything here may change in any release without notice. Only
 * {@code dev.imapsync.internal.mail} touches Jakarta Mail / Angus.
 */
package dev.imapsync.internal;
