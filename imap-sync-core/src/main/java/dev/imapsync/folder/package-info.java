/**
 * Folders: what an account's folders are for and which of them to sync.
 *
 * <p>{@link dev.imapsync.folder.MailFolder} is one folder of a LIST answer, kept under the raw
 * name the server uses in commands, with its {@link dev.imapsync.folder.FolderRole roles};
 * {@link dev.imapsync.folder.FolderSelector} completes the roles of a whole list from well-known
 * names when the server announces no special-use folders, recognizes Gmail by its folders, and
 * recommends a {@link dev.imapsync.folder.FolderSelection} or validates one a person chose
 * ({@link dev.imapsync.folder.FolderValidation}), with errors and warnings written for people.
 * {@link dev.imapsync.folder.FolderChoice} is what an account stores: "the recommended folders" or
 * named ones, resolved against each new listing.
 *
 * <p>All types here are immutable and safe to share between threads; none depends on
 * Jakarta Mail.
 */
package dev.imapsync.folder;
