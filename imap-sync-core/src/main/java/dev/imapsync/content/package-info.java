/**
 * Opening one email on demand, live from its mailbox and read-only: {@link
 * dev.imapsync.content.MessageOpener} finds it where the timeline recorded it (or again by its
 * Message-ID when it moved), and returns its {@link dev.imapsync.content.MessageContent}: the full
 * text, the HTML sanitized by an allowlist, the attachments, each of which it streams by part.
 */
package dev.imapsync.content;
