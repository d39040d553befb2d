package dev.imapsync.examples.web;

import dev.imapsync.account.Endpoint;
import dev.imapsync.account.Security;
import dev.imapsync.folder.FolderRole;
import dev.imapsync.folder.MailFolder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How the pages write modes, endpoints, roles and dates. */
final class Labels {
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private Labels() {
    }

    static String security(Security security) {
        return switch (security) {
            case SSL_TLS -> "SSL/TLS";
            case STARTTLS -> "STARTTLS";
            case NONE -> "none (unencrypted)";
        };
    }

    static String endpoint(Endpoint e) {
        return e.host() + ":" + e.port() + " (" + security(e.security()) + ")";
    }

    static List<String> roles(MailFolder folder) {
        List<String> roles = new ArrayList<>();
        for (FolderRole role : FolderRole.values()) {
            if (folder.hasRole(role)) {
                roles.add(role.jsonName());
            }
        }
        return roles;
    }

    static String dateTime(Instant instant) {
        return DATE_TIME.format(instant);
    }
}
