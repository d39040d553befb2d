package dev.imapsync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.examples.demo.DemoMailbox;
import dev.imapsync.testing.Await;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code web} on the demo, over plain HTTP (no browser needed): the demo's mailbox connects and
 * syncs through the forms, a POST without the CSRF token is refused, a password never comes back
 * in a page, the security headers are there, and Actuator answers with the starter's metrics and
 * health.
 */
class WebCommandTest {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private static WebCommand.Running web;
    private static String base;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        web = WebCommand.demo("127.0.0.1", 0);
        base = "http://127.0.0.1:" + web.port();
    }

    @AfterAll
    static void stop() {
        if (web != null) {
            web.close();
        }
    }

    @Test
    void theSettingsPageSuggestsTheDemoMailboxAndCarriesTheSecurityHeaders() throws Exception {
        HttpResponse<String> page = get("/settings");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Email Sync settings").contains(DemoMailbox.USER)
                .contains("<label for=\"password\">Password</label>");
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("script-src 'none'").contains("frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefused() throws Exception {
        get("/settings"); // a session, but its token is not sent

        HttpResponse<String> answer = post("/settings", Map.of("email", DemoMailbox.USER, "password", "x"));

        assertThat(answer.statusCode()).isEqualTo(403);
    }

    @Test
    void aWrongPasswordIsAnsweredWithItsHintAndNeverShownAgain() throws Exception {
        String token = token(get("/settings"));

        HttpResponse<String> answer = post("/settings", form(token, "wrong-password-4711"));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("AUTH_FAILED").contains("What to do:").doesNotContain("wrong-password-4711");
    }

    @Test
    void theDemoMailboxConnectsAndSyncsThroughTheForms() throws Exception {
        String token = token(get("/settings"));
        HttpResponse<String> tested = post("/settings", form(token, DemoMailbox.PASSWORD));
        assertThat(tested.statusCode()).as(tested.body()).isEqualTo(302);
        assertThat(tested.headers().firstValue("Location")).get().asString().endsWith("/settings/folders");

        HttpResponse<String> folders = get("/settings/folders");
        assertThat(folders.body()).contains("value=\"INBOX\"").contains("value=\"Sent\"").contains("Junk")
                .doesNotContain(DemoMailbox.PASSWORD);
        HttpResponse<String> saved = post("/settings/folders", Map.of("_csrf", token(folders), "folders", "INBOX"));
        assertThat(saved.statusCode()).isEqualTo(302);

        Await.until("the demo account's first sync", Duration.ofSeconds(60), () -> page("/accounts")
                .contains(">OK</span>"));
        HttpResponse<String> contacts = get("/contacts");
        assertThat(contacts.body()).contains("Maria Schmidt").contains("Kunde GmbH");

        // the starter's metrics and health, through Actuator
        HttpResponse<String> syncs = get("/actuator/metrics/imapsync.syncs?tag=status:OK");
        assertThat(syncs.statusCode()).isEqualTo(200);
        assertThat(syncs.body()).contains("\"name\":\"imapsync.syncs\"").contains("\"value\":1.0");
        assertThat(get("/actuator/health").body()).contains("\"imapsync\"");
    }

    @Test
    void actuatorTellsTheHealth() throws Exception {
        HttpResponse<String> health = get("/actuator/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
    }

    private static Map<String, String> form(String token, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", token);
        form.put("email", DemoMailbox.USER);
        form.put("host", "127.0.0.1");
        form.put("port", Integer.toString(demoPort()));
        form.put("security", "ssl");
        form.put("password", password);
        return form;
    }

    private static int demoPort() {
        try {
            Matcher m = Pattern.compile("port <code>(\\d+)</code>").matcher(HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(base + "/settings")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(m.find()).as("the demo hint names the port").isTrue();
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String token(HttpResponse<String> page) {
        Matcher m = CSRF.matcher(page.body());
        assertThat(m.find()).as("a CSRF token in " + page.uri()).isTrue();
        return m.group(1);
    }

    private String page(String path) {
        try {
            return get(path).body();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, String> fields) throws IOException, InterruptedException {
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
