package dev.imapsync.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints an {@link ImapSyncConfigurationException} as Spring Boot's "APPLICATION FAILED TO START" report. */
class ImapSyncFailureAnalyzer extends AbstractFailureAnalyzer<ImapSyncConfigurationException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ImapSyncConfigurationException cause) {
        String message = cause.getMessage();
        String description = message.endsWith(cause.action())
                ? message.substring(0, message.length() - cause.action().length()).strip() : message;
        return new FailureAnalysis(description, cause.action(), cause);
    }
}
