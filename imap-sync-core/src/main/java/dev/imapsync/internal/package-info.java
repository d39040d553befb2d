/**
 * IMAP plumbing behind the public API. Not supported API: anything here may change in any
 * release without notice. Only {@code dev.imapsync.internal.mail} touches Jakarta Mail / Angus.
 */
package dev.imapsync.internal;
