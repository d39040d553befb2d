package dev.imapsync.examples.web;

import dev.imapsync.folder.FolderChoice;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.schedule.AccountRepository.AccountSummary;
import dev.imapsync.schedule.SyncScheduler;
import dev.imapsync.store.AccountStatus;
import dev.imapsync.store.StatusStore;
import dev.imapsync.store.SyncStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
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
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The connected mailboxes: each with "Last Synced" and "Last Synced Status" (and what to do when
 * it failed), "Sync now", and "Remove" behind a confirmation. While a sync a person asked for
 * runs, the page says how far it is and reloads itself every two seconds.
 */
@Controller
public class AccountsController {
    private static final Logger LOG = LoggerFactory.getLogger(AccountsController.class);

    private final JdbcAccountRepository accounts;
    private final StatusStore statuses;
    private final SyncScheduler scheduler;
    private final SyncProgress progress;

    AccountsController(JdbcAccountRepository accounts, StatusStore statuses, SyncScheduler scheduler,
                       SyncProgress progress) {
        this.accounts = accounts;
        this.statuses = statuses;
        this.scheduler = scheduler;
        this.progress = progress;
    }

    /**
     * A row of the accounts table.
     *
     * @param failed whether the last attempt failed (the hint is then shown)
     */
    public record AccountRow(String id, String email, String server, String folders, String lastSynced,
                             String status, boolean failed, String message, String hint, String nextRun) {
    }

    /**
     * The notice about a sync a person asked for.
     *
     * @param running whether it still runs (the page then reloads itself)
     * @param failed  whether it ended in a failure
     * @param text    what to say
     */
    public record SyncNotice(String accountId, boolean running, boolean failed, String text) {
    }

    @GetMapping("/accounts")
    String list(@RequestParam(name = "syncing", required = false) String syncing, Model model) {
        Map<String, AccountStatus> byId = statuses.statuses().stream()
                .collect(Collectors.toMap(AccountStatus::accountId, Function.identity(), (a, b) -> a));
        List<AccountRow> rows = new ArrayList<>();
        for (AccountSummary a : accounts.list()) {
            rows.add(row(a, Optional.ofNullable(byId.get(a.id()))));
        }
        model.addAttribute("rows", rows);
        if (syncing != null && accounts.list().stream().anyMatch(a -> a.id().equals(syncing))) {
            SyncNotice notice = notice(syncing, Optional.ofNullable(byId.get(syncing)));
            model.addAttribute("notice", notice);
            model.addAttribute("refresh", notice.running());
        }
        return "accounts";
    }

    @PostMapping("/accounts/{id}/sync")
    String syncNow(@PathVariable("id") String id, RedirectAttributes redirect) {
        progress.requested(id);
        if (!scheduler.syncNow(id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No account " + id);
        }
        redirect.addAttribute("syncing", id);
        return "redirect:/accounts";
    }

    @GetMapping("/accounts/{id}/remove")
    String confirmRemove(@PathVariable("id") String id, Model model) {
        AccountSummary account = accounts.list().stream().filter(a -> a.id().equals(id)).findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No account " + id));
        model.addAttribute("account", account.id());
        model.addAttribute("email", account.email());
        model.addAttribute("server", Labels.endpoint(account.endpoint()));
        return "remove";
    }

    @PostMapping("/accounts/{id}/remove")
    String remove(@PathVariable("id") String id, RedirectAttributes redirect) {
        boolean removed = accounts.remove(id);
        progress.forget(id);
        LOG.info("account {}: {}", id, removed ? "removed" : "was already removed");
        redirect.addFlashAttribute("flash", removed
                ? "Removed " + id + ". Its contacts' history stays; connect the mailbox again to go on where it was."
                : "There was no account " + id + " (it was already removed).");
        return "redirect:/accounts";
    }

    private static AccountRow row(AccountSummary a, Optional<AccountStatus> status) {
        String folders = a.folders().toString();
        String lastSynced = status.flatMap(AccountStatus::lastSyncedAt).map(Labels::dateTime).orElse("never");
        String state = status.map(s -> s.status().name()).orElse("NOT SYNCED YET");
        boolean failed = status.map(s -> s.status() != SyncStatus.OK && s.status() != SyncStatus.PARTIAL).orElse(false);
        return new AccountRow(a.id(), a.email(), Labels.endpoint(a.endpoint()),
                folders.equals("recommended") ? "recommended" : String.join(", ", folderNames(a)), lastSynced, state,
                failed, status.map(AccountStatus::message).orElse(""), status.map(AccountStatus::hint).orElse(""),
                status.flatMap(AccountStatus::nextRunAt).map(Labels::dateTime).orElse(""));
    }

    private static List<String> folderNames(AccountSummary a) {
        if (a.folders() instanceof FolderChoice.Named named) {
            return named.names().stream().map(MailFolder::displayNameOf).toList();
        }
        return List.of(a.folders().toString());
    }

    private SyncNotice notice(String id, Optional<AccountStatus> status) {
        Optional<SyncProgress.Live> live = progress.of(id);
        if (live.isPresent() && live.get().running()) {
            SyncProgress.Live l = live.get();
            String where = l.folder().isEmpty() ? "connecting" : l.folder() + ": " + l.done() + " of about " + l.total()
                    + " messages read";
            return new SyncNotice(id, true, false, "Syncing " + id + " (" + where + ", " + l.finished() + " folder"
                    + (l.finished() == 1 ? "" : "s") + " done). This page updates itself.");
        }
        Instant asked = progress.requestedAt(id).orElse(Instant.EPOCH);
        // done once a status was written for an attempt that began after the person asked (a second's slack)
        if (status.isPresent() && !status.get().lastAttemptAt().isBefore(asked.minusSeconds(1))) {
            AccountStatus s = status.get();
            String result = switch (s.status()) {
                case OK -> "done: " + s.fetched() + " messages read, " + s.activities() + " new entries in your"
                        + " contacts' history.";
                case PARTIAL -> "done in part: " + s.message();
                default -> "failed (" + s.status() + "): " + s.message() + " What to do: " + s.hint();
            };
            boolean failed = s.status() != SyncStatus.OK && s.status() != SyncStatus.PARTIAL;
            return new SyncNotice(id, false, failed, "Sync of " + id + " " + result);
        }
        return new SyncNotice(id, true, false, "The sync of " + id + " is about to start. This page updates itself.");
    }
}
