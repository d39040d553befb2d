/**
 * What must never enter the CRM, decided per message before anything is recorded or any body
 * byte fetched: internal mail, blocked addresses and domains, erased people, bulk and automated
 * mail, plus the host application's own rules ({@link dev.imapsync.policy.MessagePolicy}); what
 * an account lets the store keep ({@link dev.imapsync.policy.Visibility}); and the stored side
 * ({@link dev.imapsync.policy.PrivacyStore}): blocklists with retroactive purge, erasure of a
 * person with a suppression entry, and retention.
 */
package dev.imapsync.policy;
