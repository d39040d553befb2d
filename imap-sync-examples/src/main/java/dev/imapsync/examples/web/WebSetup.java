package dev.imapsync.examples.web;

import dev.imapsync.contact.ContactMatcher;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What the web example is started with: where it listens, its database, the host application's
 * contacts, and what it trusts beyond the JDK's trust store.
 *
 * @param bindAddress        the address to listen on ({@code 127.0.0.1} unless told otherwise)
 * @param port               the port; 0 for any free one (tests)
 * @param dataSource         the database, or empty to let Spring Boot make one from {@code spring.datasource.url}
 * @param properties         further Spring properties: {@code spring.datasource.url}, the starter's {@code imapsync.*}
 *                           (at least the key of the stored accounts, {@code imapsync.accounts.key}, unless
 *                           {@code IMAPSYNC_KEY} is set)
 * @param matcher            the host application's contacts, by address
 * @param directory          the host application's contacts, as its list shows them
 * @param trustedCertificate a PEM certificate every mailbox connected here also trusts (a self-signed
 *                           demo or test server), or empty for the JDK's trust store only
 * @param demo               the demo mailbox to suggest on the settings page, or empty
 * @param oauth              "Connect with …" buttons beyond those of the {@code imapsync.web.oauth.*} properties
 */
public record WebSetup(String bindAddress, int port, Optional<DataSource> dataSource, Map<String, Object> properties,
                       ContactMatcher matcher, ContactDirectory directory, Optional<String> trustedCertificate,
                       Optional<DemoHint> demo, List<OAuthProviders.Option> oauth) {
    /** Validates and copies. */
    public WebSetup {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port: give 1 to 65535, or 0 for any free one");
        }
        Objects.requireNonNull(dataSource, "dataSource");
        properties = Map.copyOf(properties);
        Objects.requireNonNull(matcher, "matcher");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(trustedCertificate, "trustedCertificate");
        Objects.requireNonNull(demo, "demo");
        oauth = List.copyOf(oauth);
    }

    /**
     * The demo mailbox the settings page suggests (its made-up password is shown: it exists only
     * inside the demo's embedded server).
     */
    public record DemoHint(String email, String host, int port, String password) {
    }
}
