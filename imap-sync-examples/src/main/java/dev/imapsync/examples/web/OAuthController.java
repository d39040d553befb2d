package dev.imapsync.examples.web;

import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.MailProvider;
import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.oauth.ConsentRequest;
import dev.imapsync.oauth.OAuth2Grant;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * "Connect with Google / Microsoft": the OAuth 2.0 consent (state and PKCE kept in the person's
 * session), the code exchanged for tokens, the mailbox probed with XOAUTH2, then the same folder
 * page as a password account; the refresh token is stored encrypted when the folders are saved.
 * Shown only for the clients configured ({@link OAuthProviders}).
 */
@Controller
public class OAuthController {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthController.class);
    private static final String SESSION_KEY = "imapsync.oauthConsent";

    private final OAuthProviders oauth;
    private final ConnectionProber prober;
    private final WebSetup setup;
    private final SettingsController settings;

    OAuthController(OAuthProviders oauth, ConnectionProber prober, WebSetup setup, SettingsController settings) {
        this.oauth = oauth;
        this.prober = prober;
        this.setup = setup;
        this.settings = settings;
    }

    /** A consent under way: which client asked, and its state and code verifier. */
    private record Started(String key, ConsentRequest request) {
    }

    @PostMapping("/settings/oauth/{key}")
    String start(@PathVariable("key") String key, @RequestParam(name = "email", required = false) String email,
                 HttpSession session) {
        OAuthProviders.Option option = oauth.option(key)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such provider"));
        URI redirect = ServletUriComponentsBuilder.fromCurrentContextPath().path("/settings/oauth/callback").build()
                .toUri();
        ConsentRequest consent = option.client().consent(redirect, email);
        session.setAttribute(SESSION_KEY, new Started(key, consent));
        return "redirect:" + consent.url();
    }

    @GetMapping("/settings/oauth/callback")
    String callback(HttpServletRequest request, HttpSession session, Model model) {
        Started started = (Started) session.getAttribute(SESSION_KEY);
        session.removeAttribute(SESSION_KEY); // one answer per consent
        SettingsForm form = new SettingsForm();
        if (started == null || oauth.option(started.key()).isEmpty()) {
            model.addAttribute("formError", "This sign-in answer belongs to no sign-in started here (or it was used"
                    + " already): start again with \"Connect with …\".");
            return settings.form(model, form);
        }
        OAuthProviders.Option option = oauth.option(started.key()).get();
        URI callback = URI.create(request.getRequestURL() + (request.getQueryString() == null ? ""
                : "?" + request.getQueryString()));
        OAuth2Grant grant;
        ImapAccount account;
        try {
            grant = option.client().exchange(started.request(), callback);
            String address = grant.address().orElseThrow(() -> new IllegalStateException(option.label()
                    + " did not say which address signed in: connect this mailbox with its password instead."));
            form.setEmail(address);
            ImapAccount.Builder b = grant.accountBuilder(address.toLowerCase(Locale.ROOT));
            if (option.client().provider().imapEndpoint().isEmpty()) {
                b.endpoint(MailProvider.discover(address).get(0));
            }
            setup.trustedCertificate().ifPresent(b::trustCertificatePem);
            account = b.build();
        } catch (RuntimeException e) {
            // refused consent, a forged or stale answer, a code the provider would not exchange: said in words
            LOG.info("OAuth 2.0 sign-in with {} failed: {}", option.label(), e.getMessage());
            model.addAttribute("formError", "Signing in with " + option.label() + " did not work: " + e.getMessage());
            return settings.form(model, form);
        }
        ProbeResult probe = prober.probe(account);
        if (!probe.ok()) {
            model.addAttribute("failure", probe.failure().orElseThrow());
            return settings.form(model, form);
        }
        Endpoint entered = account.endpoint();
        session.setAttribute(PendingConnection.SESSION_KEY,
                new PendingConnection(probe, entered, Optional.of(grant.refreshToken())));
        return "redirect:/settings/folders";
    }
}
