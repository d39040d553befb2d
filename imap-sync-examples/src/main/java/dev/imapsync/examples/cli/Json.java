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
import dev.imapsync.sync.SyncReport;
import dev.imapsync.sync.SyncReport.FolderReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
