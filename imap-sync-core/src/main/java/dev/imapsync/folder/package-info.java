/**
 * Folders: what an account's folders are for and which of them to sync.
 *
 * <p>{@link dev.imapsync.folder.MailFolder} is one folder of a LIST answer, kept under the raw
 * name the server uses in commands, with its {@link dev.imapsync.folder.FolderRole roles};
 * {@link dev.imapsync.folder.FolderRoles} completes the roles of a whole list from well-known
 * names when the server announces no special-use folders; {@link dev.imapsync.folder.GmailLayout}
 * recognizes Gmail by its folders; {@link dev.imapsync.folder.FolderSelector} recommends a
 * {@link dev.imapsync.folder.FolderSelection} or validates one a person chose, with errors and
 * warnings written for people. {@link dev.imapsync.folder.ModifiedUtf7} converts between the
 * names servers send and the names people read.
 *
 * <p>All types here are immutable and safe to share between threads; none depends on
 * Jakarta Mail.
 */
package dev.imapsync.folder;
