package dev.imapsync.examples.web;

import dev.imapsync.contact.Direction;
import dev.imapsync.contact.ParticipantRole;
import dev.imapsync.content.MessageContent;
import dev.imapsync.content.MessageOpener;
import dev.imapsync.content.OpenResult;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.message.Attachment;
import dev.imapsync.message.EmailAddress;
import dev.imapsync.message.MessageKey;
import dev.imapsync.schedule.AccountUnavailableException;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.store.ContactSummary;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelinePage;
import dev.imapsync.store.TimelineQuery;
import dev.imapsync.store.TimelineStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The CRM's side: its contacts with when they were last in touch, a contact's timeline (one
 * entry per message across every connected mailbox, newest first, paged by cursor, grouped by
 * thread on request), and one email opened live from its mailbox, read-only.
 */
@Controller
public class ContactsController {
    static final int PAGE_SIZE = 20;

    private final TimelineStore timelines;
    private final ContactDirectory directory;
    private final JdbcAccountRepository accounts;
    private final MessageOpener opener;

    ContactsController(TimelineStore timelines, ContactDirectory directory, JdbcAccountRepository accounts,
                       MessageOpener opener) {
        this.timelines = timelines;
        this.directory = directory;
        this.accounts = accounts;
        this.opener = opener;
    }

    /** A row of the contact list. */
    public record ContactRow(String id, String name, String company, String email, long messages,
                             String lastReceived, String lastSent) {
    }

    /** An entry of the timeline, as the page shows it. */
    public record EntryRow(String key, String date, boolean outbound, String roles, String from, String subject,
                           String where, String preview, boolean previewTruncated, List<String> attachments,
                           boolean encrypted) {
    }

    /** A thread of the page: its subject and its entries. */
    public record ThreadRow(String subject, List<EntryRow> entries) {
    }

    @GetMapping("/contacts")
    String contacts(Model model) {
        List<ContactDirectory.Card> cards = directory.contacts();
        Map<String, ContactSummary> summaries = cards.isEmpty() ? Map.of()
                : timelines.summaries(cards.stream().map(ContactDirectory.Card::id).toList());
        List<ContactRow> rows = new ArrayList<>();
        for (ContactDirectory.Card c : cards) {
            ContactSummary s = summaries.getOrDefault(c.id(), ContactSummary.none(c.id()));
            rows.add(new ContactRow(c.id(), c.name(), c.company(), c.email(), s.messages(),
                    s.lastInbound().map(Labels::dateTime).orElse("never"),
                    s.lastOutbound().map(Labels::dateTime).orElse("never")));
        }
        model.addAttribute("rows", rows);
        return "contacts";
    }

    @GetMapping("/contacts/{id}")
    String contact(@PathVariable("id") String id, @RequestParam(name = "after", required = false) String after,
                   @RequestParam(name = "view", defaultValue = "list") String view, Model model) {
        ContactDirectory.Card card = card(id);
        TimelineQuery query = TimelineQuery.forContact(id).pageSize(PAGE_SIZE);
        if (after != null && !after.isBlank()) {
            query = query.after(after);
        }
        TimelinePage page;
        try {
            page = timelines.timeline(query);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "That page link is not valid: start from the"
                    + " contact's newest messages.", e);
        }
        boolean threads = "threads".equals(view);
        model.addAttribute("contact", card);
        model.addAttribute("summary", timelines.summary(id));
        model.addAttribute("view", threads ? "threads" : "list");
        model.addAttribute("entries", page.entries().stream().map(e -> entry(e)).toList());
        model.addAttribute("threads", threads ? page.threads().stream()
                .map(t -> new ThreadRow(t.newest().subject(), t.entries().stream().map(e -> entry(e)).toList()))
                .toList() : List.of());
        model.addAttribute("next", page.next().orElse(null));
        model.addAttribute("first", after == null || after.isBlank());
        return "contact";
    }

    @GetMapping("/contacts/{id}/message")
    String message(@PathVariable("id") String id, @RequestParam("key") String key, Model model) {
        ContactDirectory.Card card = card(id);
        MessageKey messageKey;
        try {
            messageKey = new MessageKey(key);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "That email link is not valid.", e);
        }
        List<TimelineEntry.Location> locations = timelines.locations(messageKey);
        model.addAttribute("contact", card);
        if (locations.isEmpty()) {
            model.addAttribute("problem", "No connected mailbox holds this email any more.");
            return "message";
        }
        // the first account holding it that is still connected (a removed one's locations stay in the history)
        Optional<ManagedAccount> account = Optional.empty();
        String problem = null;
        for (String accountId : locations.stream().map(TimelineEntry.Location::accountId).distinct().toList()) {
            try {
                account = accounts.find(accountId);
            } catch (AccountUnavailableException e) {
                problem = e.getMessage();
            }
            if (account.isPresent()) {
                break;
            }
        }
        if (account.isEmpty()) {
            model.addAttribute("problem", problem != null ? problem : "The mailbox that holds this email ("
                    + locations.get(0).accountId() + ") was removed: connect it again to open its mail.");
            return "message";
        }
        OpenResult<MessageContent> opened = opener.open(account.get().account(), account.get().folders(), messageKey,
                locations);
        if (opened instanceof OpenResult.Failed<MessageContent> failed) {
            model.addAttribute("failure", failed.failure());
            return "message";
        }
        if (!(opened instanceof OpenResult.Opened<MessageContent> ok)) {
            model.addAttribute("problem", opened.message());
            return "message";
        }
        MessageContent m = ok.value();
        model.addAttribute("subject", m.subject());
        model.addAttribute("from", addresses(m.from()));
        model.addAttribute("to", addresses(m.to()));
        model.addAttribute("cc", addresses(m.cc()));
        model.addAttribute("date", Labels.dateTime(m.date()));
        model.addAttribute("where", m.location().accountId() + ", " + MailFolder.displayNameOf(m.folder()));
        model.addAttribute("text", m.text());
        // sanitized by the opener (an allowlist: no script, style, event handler, form, frame, javascript: link):
        // the only HTML any page renders unescaped
        model.addAttribute("sanitizedHtml", m.html().orElse(null));
        model.addAttribute("remoteImagesBlocked", m.remoteImagesBlocked());
        model.addAttribute("attachments", m.attachments().stream().filter(a -> !a.inline())
                .map(ContactsController::attachment).toList());
        model.addAttribute("warnings", m.warnings());
        return "message";
    }

    private ContactDirectory.Card card(String id) {
        if (id.isBlank() || id.length() > 255) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No such contact");
        }
        return directory.find(id).orElse(new ContactDirectory.Card(id, "Contact " + id, "", ""));
    }

    private static EntryRow entry(TimelineEntry e) {
        String roles = e.roles().stream().sorted().map(ContactsController::role).collect(Collectors.joining(", "));
        String from = e.sender().displayName().isEmpty() ? e.sender().address()
                : e.sender().displayName() + " <" + e.sender().address() + ">";
        String where = e.locations().stream().map(l -> l.accountId() + " / " + MailFolder.displayNameOf(l.folder()))
                .distinct().collect(Collectors.joining("; "));
        String preview = e.preview().map(p -> p.text()).orElse("");
        boolean truncated = e.preview().map(p -> p.truncated()).orElse(false);
        List<String> attachments = e.preview().map(p -> p.attachments().stream().filter(a -> !a.inline())
                .map(Attachment::name).toList()).orElse(List.of());
        boolean encrypted = e.preview().map(p -> p.encrypted()).orElse(false);
        return new EntryRow(e.messageKey().value(), Labels.dateTime(e.date()),
                e.direction() == Direction.OUTBOUND, roles, from,
                e.subject().isEmpty() ? "(no subject)" : e.subject(), where, preview, truncated, attachments, encrypted);
    }

    private static String role(ParticipantRole role) {
        return switch (role) {
            case FROM -> "From";
            case TO -> "To";
            case CC -> "Cc";
            case BCC -> "Bcc";
        };
    }

    private static String addresses(List<EmailAddress> list) {
        return list.stream().map(a -> a.displayName().isEmpty() ? a.address() : a.displayName() + " <" + a.address()
                + ">").collect(Collectors.joining(", "));
    }

    private static String attachment(Attachment a) {
        return a.name() + " (" + a.mimeType() + ", " + size(a.size()) + ")";
    }

    private static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        return bytes < 1024 * 1024 ? (bytes / 1024) + " KB" : (bytes / (1024 * 1024)) + " MB";
    }
}
