/**
 * Contacts: the {@link dev.imapsync.contact.ContactMatcher} SPI host applications implement,
 * {@link dev.imapsync.contact.InMemoryContactMatcher} for contact lists held in memory, and the
 * {@link dev.imapsync.contact.ContactActivity} entries a sync adds to contact history.
 */
package dev.imapsync.contact;
