package dev.imapsync.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.imapsync.Failure;
import dev.imapsync.account.Endpoint;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.connect.ProbeResult.ProbeAttempt;
import dev.imapsync.folder.FolderRole;
import dev.imapsync.folder.FolderSelection;
import dev.imapsync.folder.MailFolder;
import dev.imapsync.message.Attachment;
import dev.imapsync.message.MessagePreview;
import dev.imapsync.policy.Verdict;
import dev.imapsync.store.ContactSummary;
import dev.imapsync.store.TimelineEntry;
import dev.imapsync.store.TimelineEntry.Location;
import dev.imapsync.store.TimelinePage;
import dev.imapsync.sync.SyncReport;
import dev.imapsync.sync.SyncReport.FolderReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The {@code --json} answers of the CLI, in the shapes the module's README.md lists ("JSON answers"). */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    static Map<String, Object> probe(ProbeResult result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", result.ok());
        m.put("accountId", result.account().id());
        m.put("endpoint", result.endpoint().map(Json::endpoint).orElse(null));
        m.put("provider", result.provider().name().toLowerCase(java.util.Locale.ROOT));
        m.put("capabilities", result.capabilities());
        m.put("failure", result.failure().map(Json::failure).orElse(null));
        List<Object> attempts = new ArrayList<>();
        for (ProbeAttempt a : result.attempts()) {
            Map<String, Object> am = endpoint(a.endpoint());
            am.put("step", a.step().name().toLowerCase(java.util.Locale.ROOT));
            am.put("outcome", a.outcome());
            am.put("millis", a.duration().toMillis());
            attempts.add(am);
        }
        m.put("attempts", attempts);
        List<Object> folders = new ArrayList<>();
        for (MailFolder f : result.folders()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("name", f.name());
            fm.put("displayName", f.displayName());
            fm.put("roles", roles(f));
            folders.add(fm);
        }
        m.put("folders", folders);
        m.put("millis", result.duration().toMillis());
        return m;
    }

    static Map<String, Object> folders(List<MailFolder> all, FolderSelection recommended) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> folders = new ArrayList<>();
        for (MailFolder f : all) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("name", f.name());
            fm.put("displayName", f.displayName());
            fm.put("roles", roles(f));
            fm.put("selectable", f.isSelectable());
            folders.add(fm);
        }
        m.put("folders", folders);
        m.put("recommended", recommended.names());
        m.put("warnings", recommended.warnings());
        return m;
    }

    /** A sync report in the shape {@code sync --json} promises (README.md, "JSON answers"). */
    static Map<String, Object> sync(SyncReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accountId", report.accountId());
        m.put("status", report.status().name());
        m.put("fetched", report.fetched());
        m.put("matched", report.matched());
        m.put("activities", report.activities());
        m.put("leftOut", report.leftOut());
        m.put("excluded", excluded(report.excluded()));
        List<Object> folders = new ArrayList<>();
        for (FolderReport f : report.folders()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("name", f.folder());
            fm.put("displayName", MailFolder.displayNameOf(f.folder()));
            fm.put("uidValidity", f.uidValidity());
            fm.put("fetched", f.fetched());
            fm.put("matched", f.matched());
            fm.put("lastUid", f.lastUid());
            fm.put("leftOut", f.leftOut());
            fm.put("upToDate", f.upToDate());
            fm.put("failure", f.failure().map(Json::failure).orElse(null));
            folders.add(fm);
        }
        m.put("folders", folders);
        m.put("warnings", report.warnings());
        m.put("failure", report.failure().map(Json::failure).orElse(null));
        return m;
    }

    /**
     * What the privacy rules kept out, by rule: the four built-in rules always (0 when none), a
     * host rule's name when it kept something out.
     */
    static Map<String, Object> excluded(Map<String, Long> byRule) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String rule : List.of(Verdict.INTERNAL, Verdict.BLOCKED, Verdict.BULK, Verdict.ERASED)) {
            m.put(rule, byRule.getOrDefault(rule, 0L));
        }
        byRule.forEach(m::putIfAbsent);
        return m;
    }

    /** {@code history}: one page of a contact's timeline and the cursor of the next. */
    static Map<String, Object> timeline(String contactId, TimelinePage page) {
        List<Object> entries = new ArrayList<>();
        for (TimelineEntry e : page.entries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("messageKey", e.messageKey().value());
            m.put("date", e.date().toString());
            m.put("subject", e.subject());
            m.put("from", e.sender().address());
            m.put("fromName", e.sender().displayName());
            m.put("direction", e.direction().name());
            m.put("roles", e.roles().stream().sorted().map(r -> r.name().toLowerCase(Locale.ROOT)).toList());
            List<Object> accounts = new ArrayList<>();
            for (Location l : e.locations()) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("accountId", l.accountId());
                a.put("folder", l.folder());
                a.put("folderDisplayName", MailFolder.displayNameOf(l.folder()));
                a.put("uid", l.uid());
                a.put("uidValidity", l.uidValidity());
                accounts.add(a);
            }
            m.put("accounts", accounts);
            m.put("threadId", e.threadKey().orElse(null));
            m.put("preview", e.preview().map(MessagePreview::text).orElse(null));
            m.put("previewTruncated", e.preview().map(MessagePreview::truncated).orElse(false));
            List<Object> attachments = new ArrayList<>();
            for (Attachment a : e.preview().map(MessagePreview::attachments).orElse(List.of())) {
                Map<String, Object> at = new LinkedHashMap<>();
                at.put("name", a.name());
                at.put("type", a.mimeType());
                at.put("size", a.size());
                at.put("inline", a.inline());
                at.put("part", a.part());
                at.put("contentId", a.contentId().orElse(null));
                attachments.add(at);
            }
            m.put("attachments", attachments);
            m.put("encrypted", e.preview().map(MessagePreview::encrypted).orElse(false));
            m.put("signed", e.preview().map(MessagePreview::signed).orElse(false));
            m.put("calendarMethod", e.preview().flatMap(MessagePreview::calendarMethod).orElse(null));
            m.put("bulk", e.bulk());
            entries.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("contactId", contactId);
        m.put("entries", entries);
        m.put("next", page.next().orElse(null));
        return m;
    }

    /** {@code contacts}: the contacts' summaries, in the order given. */
    static List<Object> contacts(List<ContactSummary> summaries) {
        List<Object> contacts = new ArrayList<>();
        for (ContactSummary s : summaries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("contactId", s.contactId());
            m.put("messages", s.messages());
            m.put("lastInbound", s.lastInbound().map(Instant::toString).orElse(null));
            m.put("lastOutbound", s.lastOutbound().map(Instant::toString).orElse(null));
            contacts.add(m);
        }
        return contacts;
    }

    static Map<String, Object> endpoint(Endpoint e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", e.host());
        m.put("port", e.port());
        m.put("security", e.security().cliName());
        return m;
    }

    static Map<String, Object> failure(Failure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", f.kind().name());
        m.put("message", f.message());
        m.put("hint", f.hint());
        return m;
    }

    private static List<String> roles(MailFolder f) {
        List<String> roles = new ArrayList<>();
        for (FolderRole r : FolderRole.values()) {
            if (f.hasRole(r)) {
                roles.add(r.jsonName());
            }
        }
        return roles;
    }
}
