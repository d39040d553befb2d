/**
 * imap-sync core: accounts, probing, folders, message identity, contact matching, the storage
 * SPIs, the sync engine, opening one email on demand, and the scheduler with its lease SPI, each
 * with an in-memory implementation. Jakarta Mail and Angus types never appear in the exported API; the
 * {@code dev.imapsync.internal} packages are not exported and not supported API.
 */
module dev.imapsync.core {
    requires jakarta.mail;
    requires org.eclipse.angus.mail;
    requires org.jsoup;
    requires org.slf4j;

    exports dev.imapsync;
    exports dev.imapsync.account;
    exports dev.imapsync.connect;
    exports dev.imapsync.folder;
    exports dev.imapsync.message;
    exports dev.imapsync.policy;
    exports dev.imapsync.contact;
    exports dev.imapsync.store;
    exports dev.imapsync.sync;
    exports dev.imapsync.content;
    exports dev.imapsync.schedule;
    exports dev.imapsync.schedule.spi;
}
