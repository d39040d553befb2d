/**
 * Accounts: one mailbox ({@link dev.imapsync.account.ImapAccount}), where its server is
 * ({@link dev.imapsync.account.Endpoint}, {@link dev.imapsync.account.Security}), how it
 * authenticates ({@link dev.imapsync.account.Credentials}, whose
 * {@link dev.imapsync.account.Secret} never prints) and which well-known provider runs it
 * ({@link dev.imapsync.account.MailProvider}, which also discovers candidate endpoints from an
 * email address).
 */
package dev.imapsync.account;
