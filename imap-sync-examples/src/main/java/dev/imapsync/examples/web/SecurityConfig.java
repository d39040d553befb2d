package dev.imapsync.examples.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Secure defaults for a local example without login: every POST needs the session's CSRF token
 * (Thymeleaf puts it into each {@code th:action} form; a POST without it is refused with 403),
 * and every answer carries security headers. The Content Security Policy allows no script at
 * all (the pages have none; an email's HTML is sanitized, and this is the second wall), no
 * plugins, no framing, forms only to this site (and the configured OAuth 2.0 providers' consent
 * pages, where "Connect with …" is redirected), and images only from here or {@code data:} (an
 * opened email's inline images).
 */
@Configuration
public class SecurityConfig {
    @Bean
    SecurityFilterChain webSecurity(HttpSecurity http, OAuthProviders oauth) throws Exception {
        // "Connect with …" posts here and is redirected to the provider's consent page: form-action covers redirects
        StringBuilder formAction = new StringBuilder("'self'");
        oauth.options().forEach(o -> o.client().provider().authorizationEndpoint().ifPresent(uri ->
                formAction.append(' ').append(uri.getScheme()).append("://").append(uri.getRawAuthority())));
        String policy = "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:;"
                + " font-src 'self'; form-action " + formAction + "; frame-ancestors 'none'; base-uri 'none';"
                + " object-src 'none'";
        http.authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .csrf(csrf -> { }) // on, with the session's token: the default, said out loud
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(policy))
                        .frameOptions(HeadersConfigurer.FrameOptionsConfig::deny)
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)));
        return http.build();
    }

    /** No users: the example has no login, and Spring Boot must not make one with a logged password. */
    @Bean
    UserDetailsService noUsers() {
        return new InMemoryUserDetailsManager();
    }
}
