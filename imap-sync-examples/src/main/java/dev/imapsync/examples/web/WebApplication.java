package dev.imapsync.examples.web;

import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.content.MessageOpener;
import dev.imapsync.jdbc.JdbcAccountRepository;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The web example: the email-sync screens a CRM shows its users (settings, folders, accounts,
 * contacts, a contact's timeline, one email), server-rendered with Thymeleaf, on the imap-sync
 * Spring Boot starter: its beans ({@code JdbcAccountRepository}, {@code JdbcSyncStore},
 * {@code SyncScheduler}) made from the application's {@code DataSource}, with the host's
 * {@code ContactMatcher} bean and the {@link SyncProgress} listener. Started by the {@code web}
 * command, or by tests with {@link #start}.
 */
@SpringBootApplication
public class WebApplication {

    /**
     * Starts the application; close the context to stop it.
     *
     * @return the running context; {@link #port} tells the port it listens on
     */
    public static ConfigurableApplicationContext start(WebSetup setup) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.address", setup.bindAddress());
        properties.put("server.port", setup.port());
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.jmx.enabled", false);
        properties.put("spring.application.name", "imap-sync-web");
        // the session cookie: never to scripts; Lax, not Strict, so that it comes back with the OAuth 2.0 provider's
        // redirect (a top-level GET from another site), where the consent's state waits. POSTs need the CSRF token.
        properties.put("server.servlet.session.cookie.http-only", true);
        properties.put("server.servlet.session.cookie.same-site", "lax");
        properties.put("server.error.whitelabel.enabled", false);
        properties.put("management.endpoints.web.exposure.include", "health,metrics");
        // a local example without login: the accounts' health is shown to whoever can reach it, so it listens on
        // 127.0.0.1 unless told otherwise
        properties.put("management.endpoint.health.show-details", "always");
        properties.putAll(setup.properties());
        return new SpringApplicationBuilder(WebApplication.class)
                .properties(properties)
                .initializers(context -> {
                    context.getBeanFactory().registerSingleton("webSetup", setup);
                    context.getBeanFactory().registerSingleton("contactMatcher", setup.matcher());
                    context.getBeanFactory().registerSingleton("contactDirectory", setup.directory());
                    setup.dataSource().ifPresent(ds -> context.getBeanFactory().registerSingleton("dataSource", ds));
                })
                .run();
    }

    /** The port a started application listens on. */
    public static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Bean
    ConnectionProber connectionProber() {
        return ConnectionProber.standard();
    }

    @Bean
    MessageOpener messageOpener() {
        return MessageOpener.standard();
    }

    /** The "Connect with …" buttons, and the access tokens of the mailboxes connected with them. */
    @Bean
    OAuthProviders oauthProviders(Environment environment, WebSetup setup,
                                  ObjectProvider<JdbcAccountRepository> accounts) {
        return new OAuthProviders(OAuthProviders.fromProperties(environment, setup.oauth()), accounts::getObject);
    }

    @Bean
    SyncProgress syncProgress() {
        return new SyncProgress();
    }
}
