package dev.imapsync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension against the project's Dovecot (skipped without it): a folder a test made is
 * gone when the next test starts, and its admin connection was closed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DovecotExtensionTest {
    @RegisterExtension
    static final DovecotExtension DOVECOT = new DovecotExtension();

    private static String madeByTheFirstTest;
    private static Store adminOfTheFirstTest;

    @Test
    @Order(1)
    void aTestMakesAFolderAndAppendsToIt() throws MessagingException {
        madeByTheFirstTest = DOVECOT.newFolder("extension");
        DOVECOT.append(madeByTheFirstTest, "From: ann@client.example\nTo: " + Dovecot.PLAIN_USER
                + "\nSubject: Hello\nMessage-ID: <ext-1@client.example>\n\nHi\n");
        adminOfTheFirstTest = DOVECOT.admin();

        Folder folder = adminOfTheFirstTest.getFolder(madeByTheFirstTest);
        assertThat(madeByTheFirstTest).matches("extension-[0-9a-f]{8}");
        assertThat(folder.exists()).isTrue();
        assertThat(folder.getMessageCount()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void theNextFindsItGoneAndItsConnectionClosed() throws MessagingException {
        assertThat(madeByTheFirstTest).as("the first test ran").isNotNull();

        assertThat(DOVECOT.admin().getFolder(madeByTheFirstTest).exists()).isFalse();
        assertThat(adminOfTheFirstTest.isConnected()).isFalse();
        assertThat(DOVECOT.admin()).isNotSameAs(adminOfTheFirstTest);
    }
}
