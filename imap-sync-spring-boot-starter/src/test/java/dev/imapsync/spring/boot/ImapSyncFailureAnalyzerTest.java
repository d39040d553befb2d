package dev.imapsync.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Spring Boot's "APPLICATION FAILED TO START" report shows what is wrong and, apart, what to do. */
class ImapSyncFailureAnalyzerTest {

    @Test
    void theDescriptionAndTheActionApart() {
        ImapSyncConfigurationException e = new ImapSyncConfigurationException("No key to encrypt the passwords.",
                "Set imapsync.accounts.key.", null);
        FailureAnalysis analysis = new ImapSyncFailureAnalyzer()
                .analyze(new IllegalStateException("Error creating bean 'imapSyncAccounts'", e));
        assertThat(analysis.getDescription()).isEqualTo("No key to encrypt the passwords.");
        assertThat(analysis.getAction()).isEqualTo("Set imapsync.accounts.key.");
        assertThat(e.getMessage()).isEqualTo("No key to encrypt the passwords. Set imapsync.accounts.key.");
    }
}
