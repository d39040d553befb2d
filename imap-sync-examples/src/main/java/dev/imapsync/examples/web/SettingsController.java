package dev.imapsync.examples.web;

import dev.imapsync.Failure;
import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.MailProvider;
import dev.imapsync.account.Security;
import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.connect.ProbeResult.ProbeAttempt;
import dev.imapsync.folder.FolderChoice;
import dev.imapsync.folder.FolderRole;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.FolderSelector;
import dev.imapsync.folder.FolderValidation;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.schedule.SyncScheduler;
import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Email Sync settings: the form (address, server, encryption, login), "Test connection" (the
 * probe: the folders, or the failure with its kind, message and hint), then the folders to sync
 * (the recommended ones ticked) and "Save", which stores the account, its password encrypted,
 * and starts its first sync.
 */
@Controller
public class SettingsController {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsController.class);

    private final ConnectionProber prober;
    private final JdbcAccountRepository accounts;
    private final SyncScheduler scheduler;
    private final SyncProgress progress;
    private final WebSetup setup;
    private final OAuthProviders oauth;

    SettingsController(ConnectionProber prober, JdbcAccountRepository accounts, SyncScheduler scheduler,
                       SyncProgress progress, WebSetup setup, OAuthProviders oauth) {
        this.oauth = oauth;
        this.prober = prober;
        this.accounts = accounts;
        this.scheduler = scheduler;
        this.progress = progress;
        this.setup = setup;
    }

    /** A row of the folder checklist. */
    public record FolderRow(String name, String displayName, List<String> roles, boolean selectable,
                            boolean checked) {
    }

    /** One attempt of a probe, as the failure box lists them. */
    public record AttemptRow(String step, String endpoint, String outcome, long millis) {
    }

    @GetMapping("/")
    String home() {
        return "redirect:/settings";
    }

    @GetMapping("/settings")
    String settings(Model model) {
        return form(model, new SettingsForm());
    }

    /** "Fill in from address": the provider's server for the address, or the usual guess. */
    @PostMapping(path = "/settings", params = "lookup")
    String lookup(@ModelAttribute("form") SettingsForm form, Model model) {
        form.withoutPassword();
        if (!form.getEmail().contains("@")) {
            model.addAttribute("formError", "Enter your email address (name@domain) to look up its server.");
            return form(model, form);
        }
        MailProvider provider;
        List<Endpoint> candidates;
        try {
            provider = MailProvider.forEmailAddress(form.getEmail());
            candidates = MailProvider.discover(form.getEmail());
        } catch (IllegalArgumentException e) {
            model.addAttribute("formError", e.getMessage());
            return form(model, form);
        }
        Endpoint first = candidates.get(0);
        form.setHost(first.host());
        form.setPort(first.port());
        form.setSecurity(first.security().cliName());
        if (form.getUser().isEmpty()) {
            form.setUser(form.getEmail());
        }
        model.addAttribute("notice", provider == MailProvider.GENERIC
                ? "Your provider is not one imap-sync knows, so " + first.host() + " is a guess: check it with your"
                        + " provider's IMAP settings, or test the connection (other usual names are tried too when the"
                        + " server field is empty)."
                : "Filled in the IMAP settings of " + provider.displayName() + ". " + provider.authHint());
        return form(model, form);
    }

    @PostMapping("/settings")
    String test(@ModelAttribute("form") SettingsForm form, Model model, HttpSession session) {
        String password = form.password();
        form.withoutPassword();
        Optional<String> error = check(form, password);
        if (error.isPresent()) {
            model.addAttribute("formError", error.get());
            return form(model, form);
        }
        ProbeResult probe;
        Endpoint entered = null;
        try {
            if (form.getHost().isEmpty()) {
                // no server given: the provider's, then imap.<domain> and mail.<domain>
                List<ImapAccount> candidates = new ArrayList<>();
                for (Endpoint e : MailProvider.discover(form.getEmail())) {
                    candidates.add(account(form, password, e));
                }
                probe = prober.probeFirst(candidates);
            } else {
                Security security = Security.parse(form.getSecurity());
                entered = Endpoint.of(form.getHost(), form.getPort() == null ? security.defaultPort() : form.getPort(),
                        security);
                probe = prober.probe(account(form, password, entered));
            }
        } catch (IllegalArgumentException e) {
            model.addAttribute("formError", e.getMessage());
            return form(model, form);
        }
        if (!probe.ok()) {
            Failure failure = probe.failure().orElseThrow();
            LOG.info("account {}: test connection failed: {}", form.getEmail(), failure.kind());
            model.addAttribute("failure", failure);
            model.addAttribute("attempts", attempts(probe));
            return form(model, form);
        }
        session.setAttribute(PendingConnection.SESSION_KEY, new PendingConnection(probe, entered, Optional.empty()));
        return "redirect:/settings/folders";
    }

    @GetMapping("/settings/folders")
    String folders(Model model, HttpSession session) {
        PendingConnection pending = (PendingConnection) session.getAttribute(PendingConnection.SESSION_KEY);
        if (pending == null) {
            return "redirect:/settings";
        }
        FolderSelection recommended = FolderSelector.recommend(pending.probe().folders(), pending.probe().provider());
        return folderPage(model, pending, new HashSet<>(recommended.names()), List.of());
    }

    @PostMapping("/settings/folders")
    String save(@RequestParam(name = "folders", required = false) List<String> folders, Model model,
                HttpSession session, RedirectAttributes redirect) {
        PendingConnection pending = (PendingConnection) session.getAttribute(PendingConnection.SESSION_KEY);
        if (pending == null) {
            return "redirect:/settings";
        }
        ProbeResult probe = pending.probe();
        List<String> chosen = folders == null ? List.of() : folders;
        FolderValidation validation = FolderSelector.validate(chosen, probe.folders(), probe.provider());
        if (!validation.isValid()) {
            return folderPage(model, pending, new HashSet<>(chosen), validation.errors());
        }
        FolderSelection recommended = FolderSelector.recommend(probe.folders(), probe.provider());
        // the recommended folders are decided again at each sync (a renamed Sent folder is still found)
        FolderChoice choice = Set.copyOf(validation.selection().names()).equals(Set.copyOf(recommended.names()))
                ? FolderChoice.recommended() : FolderChoice.named(validation.selection().names());
        ImapAccount account = probe.workingAccount();
        ManagedAccount managed = ManagedAccount.of(account).withFolders(choice);
        if (pending.refreshToken().isPresent()) {
            accounts.saveOAuth2(managed, pending.refreshToken().get()); // encrypted like a password
        } else {
            accounts.save(managed);
        }
        session.removeAttribute(PendingConnection.SESSION_KEY);
        progress.requested(account.id());
        scheduler.syncNow(account.id());
        LOG.info("account {}: saved ({}), first sync requested", account.id(), choice);
        redirect.addAttribute("syncing", account.id());
        return "redirect:/accounts";
    }

    private String folderPage(Model model, PendingConnection pending, Set<String> checked, List<String> errors) {
        ProbeResult probe = pending.probe();
        Endpoint used = probe.endpoint().orElseThrow();
        List<FolderRow> rows = new ArrayList<>();
        for (MailFolder f : probe.folders()) {
            rows.add(new FolderRow(f.name(), f.displayName(), Labels.roles(f), f.isSelectable(),
                    f.isSelectable() && checked.contains(f.name())));
        }
        FolderSelection recommended = FolderSelector.recommend(probe.folders(), probe.provider());
        List<String> notes = new ArrayList<>(recommended.warnings());
        gmailInboxNote(probe, recommended).ifPresent(notes::add);
        model.addAttribute("account", probe.account().id());
        model.addAttribute("provider", probe.provider().displayName());
        model.addAttribute("endpoint", Labels.endpoint(used));
        model.addAttribute("fallback", fallback(pending.entered(), used));
        model.addAttribute("rows", rows);
        model.addAttribute("notes", notes);
        model.addAttribute("errors", errors);
        return "folders";
    }

    /**
     * On Gmail, why Inbox is not ticked: the core's own explanation of Inbox beside Important,
     * which is what a person who ticks Inbox gets.
     */
    private static Optional<String> gmailInboxNote(ProbeResult probe, FolderSelection recommended) {
        boolean gmail = probe.provider() == MailProvider.GMAIL || FolderSelector.looksLikeGmail(probe.folders());
        boolean inboxChosen = recommended.folders().stream().anyMatch(f -> f.hasRole(FolderRole.INBOX));
        if (!gmail || inboxChosen) {
            return Optional.empty();
        }
        List<String> withInbox = new ArrayList<>(recommended.names());
        withInbox.add("INBOX");
        FolderValidation v = FolderSelector.validate(withInbox, probe.folders(), probe.provider());
        return v.warnings().stream().filter(w -> w.contains("INBOX")).findFirst()
                .map(w -> "Why Inbox is not ticked: " + w);
    }

    /** The sentence for an encryption or port other than the one entered, or null. */
    private static String fallback(Endpoint entered, Endpoint used) {
        if (entered == null) {
            return "The server was found from your address: " + Labels.endpoint(used) + ".";
        }
        if (entered.equals(used)) {
            return null;
        }
        return "You entered " + Labels.endpoint(entered) + ", which did not work; " + Labels.endpoint(used)
                + " did, and will be used.";
    }

    private Optional<String> check(SettingsForm form, String password) {
        if (!form.getEmail().contains("@")) {
            return Optional.of("Enter your email address (name@domain).");
        }
        if (password.isEmpty()) {
            return Optional.of("Enter the password of " + form.login() + " (or an app password, where your provider"
                    + " asks for one).");
        }
        Security security;
        try {
            security = Security.parse(form.getSecurity());
        } catch (IllegalArgumentException e) {
            return Optional.of("Choose the encryption: SSL/TLS, STARTTLS, or none.");
        }
        if (security == Security.NONE && !form.isAllowInsecure()) {
            return Optional.of("Without encryption your password travels readable over the network. Choose SSL/TLS or"
                    + " STARTTLS, or tick \"Allow an unencrypted connection\" if you really mean it.");
        }
        if (form.getPort() != null && (form.getPort() < 1 || form.getPort() > 65_535)) {
            return Optional.of("The port " + form.getPort() + " is not a port: give 1 to 65535, usually 993 (SSL/TLS)"
                    + " or 143 (STARTTLS).");
        }
        return Optional.empty();
    }

    private ImapAccount account(SettingsForm form, String password, Endpoint endpoint) {
        ImapAccount.Builder b = ImapAccount.builder()
                .id(form.getEmail().toLowerCase(Locale.ROOT))
                .emailAddress(form.getEmail())
                .endpoint(endpoint)
                .password(form.login(), password)
                .allowInsecure(form.isAllowInsecure());
        setup.trustedCertificate().ifPresent(b::trustCertificatePem);
        return b.build();
    }

    private static List<AttemptRow> attempts(ProbeResult probe) {
        List<AttemptRow> rows = new ArrayList<>();
        for (ProbeAttempt a : probe.attempts()) {
            rows.add(new AttemptRow(a.step().name().toLowerCase(Locale.ROOT), Labels.endpoint(a.endpoint()),
                    a.outcome(), a.duration().toMillis()));
        }
        return rows;
    }

    /** The settings page as it is, with a failure or an error: for the OAuth 2.0 callback too. */
    String form(Model model, SettingsForm form) {
        model.addAttribute("form", form);
        model.addAttribute("demo", setup.demo().orElse(null));
        model.addAttribute("oauth", oauth.options());
        return "settings";
    }
}
