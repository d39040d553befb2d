package dev.imapsync.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.folder.FolderChoice;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManagedAccountTest {
    private static final ImapAccount ACCOUNT = ImapAccount.builder().id("alice")
            .endpoint("imap.example.com", 993, Security.SSL_TLS).password("alice", "s3cret").build();

    @Test
    void defaultsToRecommendedFoldersAndTheDefaultWindowAndInterval() {
        ManagedAccount managed = ManagedAccount.of(ACCOUNT);

        assertThat(managed.id()).isEqualTo("alice");
        assertThat(managed.folders()).isEqualTo(FolderChoice.recommended());
        assertThat(managed.initialWindow()).isEmpty();
        assertThat(managed.interval()).isEmpty();
        assertThat(managed.toString()).doesNotContain("s3cret");
    }

    @Test
    void withersChangeOnePart() {
        ManagedAccount managed = ManagedAccount.of(ACCOUNT).withInterval(Duration.ofMinutes(10))
                .withInitialWindow(Duration.ofDays(7)).withFolders(FolderChoice.named(List.of("INBOX")));

        assertThat(managed.interval()).contains(Duration.ofMinutes(10));
        assertThat(managed.initialWindow()).contains(Duration.ofDays(7));
        assertThat(managed.folders()).isEqualTo(FolderChoice.named(List.of("INBOX")));
    }

    @Test
    void refusesDurationsThatAreNotPositive() {
        assertThatThrownBy(() -> ManagedAccount.of(ACCOUNT).withInterval(Duration.ZERO))
                .hasMessageContaining("interval of account 'alice' is PT0S");
        assertThatThrownBy(() -> ManagedAccount.of(ACCOUNT).withInitialWindow(Duration.ofHours(5)))
                .hasMessageContaining("initialWindow of account 'alice'");
    }
}
