/**
 * Contacts: the {@link dev.imapsync.contact.ContactMatcher} SPI host applications implement
 * (which of their contacts, {@link dev.imapsync.contact.ContactRef}, an address belongs to),
 * {@link dev.imapsync.contact.InMemoryContactMatcher} for contact lists held in memory, and the
 * {@link dev.imapsync.contact.ContactActivity} entries a sync adds to contact history, with the
 * contact's {@link dev.imapsync.contact.ParticipantRole} and the message's
 * {@link dev.imapsync.contact.Direction}.
 */
package dev.imapsync.contact;
