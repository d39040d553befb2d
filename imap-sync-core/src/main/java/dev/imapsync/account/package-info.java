/**
 * Accounts: who a mailbox belongs to, where its server is ({@link dev.imapsync.account.Endpoint}),
 * how it authenticates ({@link dev.imapsync.account.Credentials}) and which well-known provider
 * runs it ({@link dev.imapsync.account.MailProvider}).
 */
package dev.imapsync.account;
