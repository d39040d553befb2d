/**
 * imap-sync core: accounts, probing, folders and (later) the sync engine and its SPIs.
 * Jakarta Mail and Angus types never appear in the exported API.
 */
module dev.imapsync.core {
    requires jakarta.mail;
    requires org.eclipse.angus.mail;
    requires org.slf4j;

    exports dev.imapsync;
    exports dev.imapsync.account;
    exports dev.imapsync.connect;
    exports dev.imapsync.folder;
    exports dev.imapsync.message;
    exports dev.imapsync.contact;
    exports dev.imapsync.store;
    exports dev.imapsync.sync;
    exports dev.imapsync.schedule;
}
