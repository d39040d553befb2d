package dev.imapsync.examples.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imapsync.account.Endpoint;
import dev.imapsync.account.Secret;
import dev.imapsync.account.Security;
import dev.imapsync.examples.demo.CrmContactMatcher;
import dev.imapsync.examples.demo.CrmDatabase;
import dev.imapsync.jdbc.JdbcAccountRepository;
import dev.imapsync.jdbc.SecretKeys;
import dev.imapsync.schedule.ManagedAccount;
import dev.imapsync.testing.GreenMailExtension;
import dev.imapsync.oauth.OAuth2Client;
import dev.imapsync.oauth.OAuth2Provider;
import dev.imapsync.testing.GreenMailTls;
import dev.imapsync.testing.LocalAuthorizationServer;
import dev.imapsync.testing.TestCertificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The web example in a real browser (headless Chromium), on a GreenMail mailbox of the test kit
 * and the demo's CRM in an in-memory H2: what a person sees on each screen, a screenshot of each
 * under {@code target/screenshots/}. One browser and one application for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebBrowserTest {
    private static final String SAM = "sam@acme.example";
    private static final String SAM_PASSWORD = "sam-secret-1";
    private static final String OLGA = "olga@acme.example";
    private static final String ANN = "ann@acme.example";
    private static final String GINA = "gina@gmail.com"; // Gmail by its domain
    /** GreenMail's XOAUTH2 takes the user's password as the access token: the authorization server issues it. */
    private static final String ANN_TOKEN = "ann-access-token-1";
    private static final String HOSTILE = "<script>document.title='pwned'</script><img src=x"
            + " onerror=\"document.title='pwned'\">Invoice 42";
    private static final DateTimeFormatter RFC_5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Instant NOW = Instant.now();

    @RegisterExtension
    static final GreenMailExtension MAIL = GreenMailExtension.builder()
            .user(SAM, SAM_PASSWORD, box -> box
                    .message("INBOX", offer(), NOW.minus(Duration.ofDays(3)))
                    .message("Sent", reply(), NOW.minus(Duration.ofDays(2)))
                    .message("INBOX", hostile(), NOW.minus(Duration.ofDays(1)))
                    .received("news@newsletter.example", "Your weekly digest")
                    .message("Drafts", note("Follow-up (draft)"))
                    .message("Junk", note("You have won!!!"))
                    .message("Trash", note("Deleted note"))
                    .message("Archive", note("Archived note"))
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 1")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 2")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 3")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 4")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 5")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 6")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 7")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 8")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 9")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 10")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 11")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 12")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 13")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 14")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 15")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 16")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 17")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 18")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 19")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 20")
                    .received("Tom Baker <tom.baker@gmail.com>", "Quote request 21"))
            .user(OLGA, "olga-secret", box -> box.received("tom.baker@gmail.com", "Quote request"))
            // Gmail's layout ("." is GreenMail's delimiter), but without the \Important attribute Gmail announces
            .user(GINA, "gina-secret", box -> box
                    .message("[Gmail].All Mail", note("In All Mail"))
                    .message("[Gmail].Important", note("Important note"))
                    .message("[Gmail].Sent Mail", note("Sent note")))
            .user(ANN, ANN_TOKEN, box -> box.received("Sofia Rossi <sofia.rossi@rossimoda.example>", "Spring collection"))
            .build();

    private static Browser browser;
    private static LocalAuthorizationServer oauthServer;
    private static CrmDatabase crm;
    private static ConfigurableApplicationContext app;
    private static String base;

    @BeforeAll
    static void start() {
        browser = Browser.start(); // first: without a browser the class is skipped before anything starts
        crm = CrmDatabase.create();
        ContactDirectory directory = () -> crm.contacts().stream()
                .map(c -> new ContactDirectory.Card(Long.toString(c.id()), c.name(), c.company(), c.email())).toList();
        // "Connect with Acme ID": an OAuth 2.0 provider of the test kit whose access tokens GreenMail accepts
        oauthServer = LocalAuthorizationServer.start()
                .client("crm-app", "crm-app-secret", "http://127.0.0.1/settings/oauth/callback") // any port
                .consentingUser(ANN)
                .issueAccessTokens(ANN_TOKEN, ANN_TOKEN, ANN_TOKEN, ANN_TOKEN);
        OAuth2Provider acme = OAuth2Provider.builder("Acme ID")
                .authorizationEndpoint(oauthServer.authorizationEndpoint())
                .tokenEndpoint(oauthServer.tokenEndpoint())
                .scopes(List.of("mail", "offline"))
                .imapEndpoint(Endpoint.of(MAIL.host(), MAIL.imapsPort(), Security.SSL_TLS))
                .build();
        OAuthProviders.Option option = new OAuthProviders.Option("acme", "Acme ID", OAuth2Client.builder(acme)
                .clientId("crm-app").clientSecret(Secret.of("crm-app-secret")).build());
        app = WebApplication.start(new WebSetup("127.0.0.1", 0, Optional.of(crm.dataSource()),
                Map.of("imapsync.accounts.key", SecretKeys.generate("test")),
                new CrmContactMatcher(crm.dataSource()), directory,
                Optional.of(MAIL.certificate().pem()), Optional.empty(), List.of(option)));
        base = "http://127.0.0.1:" + WebApplication.port(app);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (crm != null) {
            crm.close();
        }
        if (oauthServer != null) {
            oauthServer.close();
        }
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @Order(1)
    void fromAnEmptyFormToAnOpenedEmail() {
        WebDriver d = browser.driver();
        d.get(base + "/settings");
        browser.screenshot("1-settings-empty");
        assertThat(d.findElement(By.id("email")).getAttribute("value")).isEmpty();

        // a known provider: its server is filled in from the address, without a network call
        d.findElement(By.id("email")).sendKeys("someone@gmail.com");
        d.findElement(By.name("lookup")).click();
        assertThat(d.findElement(By.id("host")).getAttribute("value")).isEqualTo("imap.gmail.com");
        assertThat(d.findElement(By.id("port")).getAttribute("value")).isEqualTo("993");

        // STARTTLS asked for on a port that speaks SSL/TLS: the page says which worked
        fill(SAM, MAIL.host(), MAIL.imapsPort(), "starttls", SAM_PASSWORD);
        d.findElement(By.id("test-connection")).click();
        waitFor(() -> d.getCurrentUrl().endsWith("/settings/folders"));
        assertThat(text("connected")).contains(SAM).contains("SSL/TLS");
        assertThat(text("fallback")).contains("STARTTLS").contains("did not work").contains("SSL/TLS");
        List<WebElement> boxes = d.findElements(By.name("folders"));
        assertThat(boxes).extracting(b -> b.getAttribute("value"))
                .containsExactlyInAnyOrder("INBOX", "Sent", "Drafts", "Junk", "Trash", "Archive");
        assertThat(boxes).filteredOn(WebElement::isSelected).extracting(b -> b.getAttribute("value"))
                .containsExactlyInAnyOrder("INBOX", "Sent");
        assertThat(d.findElement(By.cssSelector("table.folders")).getText()).contains("inbox").contains("sent");
        browser.screenshot("2-settings-folders");

        d.findElement(By.id("save")).click();
        waitFor(() -> d.getCurrentUrl().contains("/accounts"));
        assertThat(text("sync-notice")).contains(SAM);
        waitFor(() -> "false".equals(browser.driver().findElement(By.id("sync-notice")).getAttribute("data-running")));
        assertThat(text("sync-notice")).contains("messages read");
        WebElement row = d.findElement(By.cssSelector("tr[data-account='" + SAM + "']"));
        assertThat(row.findElement(By.cssSelector(".status .tag")).getText()).isEqualTo("OK");
        assertThat(row.findElement(By.cssSelector(".last-synced")).getText()).endsWith("UTC");
        browser.screenshot("3-accounts");

        d.findElement(By.linkText("Contacts")).click();
        WebElement maria = d.findElement(By.cssSelector("tr[data-contact='1001']"));
        assertThat(maria.getText()).contains("Maria Schmidt").contains("Kunde GmbH").contains("2");
        browser.screenshot("4-contacts");

        maria.findElement(By.linkText("Maria Schmidt")).click();
        List<WebElement> entries = d.findElements(By.cssSelector("#timeline .entry"));
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).getText()).contains("Sent").contains("Re: Offer for the fair in Munich");
        assertThat(entries.get(1).getText()).contains("Received").contains("Offer for the fair in Munich")
                .contains("12 stands with power").contains("stand-plan.pdf");
        browser.screenshot("5-contact-timeline");

        d.findElement(By.id("by-thread")).click();
        List<WebElement> threads = d.findElements(By.cssSelector("#threads .thread"));
        assertThat(threads).hasSize(1);
        assertThat(threads.get(0).findElements(By.cssSelector(".entry"))).hasSize(2);
        browser.screenshot("6-contact-threads");

        d.findElement(By.linkText("Offer for the fair in Munich")).click();
        assertThat(d.findElement(By.cssSelector("#email h1")).getText()).isEqualTo("Offer for the fair in Munich");
        WebElement body = d.findElement(By.id("body"));
        assertThat(body.findElement(By.tagName("b")).getText()).isEqualTo("12 stands");
        assertThat(body.findElements(By.cssSelector("script, [onerror]"))).isEmpty();
        assertThat(text("attachments")).contains("stand-plan.pdf");
        assertThat(d.getTitle()).doesNotContain("pwned");
        browser.screenshot("7-message");
    }

    @Test
    @Order(2)
    void aWrongPasswordShowsItsHintAndIsNotShownAgain() {
        WebDriver d = browser.driver();
        d.get(base + "/settings");
        fill(OLGA, MAIL.host(), MAIL.imapsPort(), "ssl", "not-the-password-123");
        d.findElement(By.id("test-connection")).click();

        assertThat(d.findElement(By.cssSelector("#failure .kind")).getText()).isEqualTo("AUTH_FAILED");
        assertThat(d.findElement(By.cssSelector("#failure .hint")).getText()).startsWith("What to do:").hasSizeGreaterThan(20);
        assertThat(d.findElement(By.id("password")).getAttribute("value")).isEmpty();
        assertThat(d.getPageSource()).doesNotContain("not-the-password-123");
        assertThat(d.findElement(By.id("email")).getAttribute("value")).isEqualTo(OLGA); // the rest stays
        browser.screenshot("8-settings-wrong-password");
    }

    @Test
    @Order(3)
    void aCertificateTheApplicationDoesNotTrustIsRefused() {
        TestCertificate stranger = TestCertificate.selfSigned("localhost", "127.0.0.1");
        try (GreenMailTls other = GreenMailTls.start(stranger)) {
            other.addUser("eve@other.example", "eve-secret");
            WebDriver d = browser.driver();
            d.get(base + "/settings");
            fill("eve@other.example", other.host(), other.imapsPort(), "ssl", "eve-secret");
            d.findElement(By.id("test-connection")).click();

            assertThat(d.findElement(By.cssSelector("#failure .kind")).getText()).isEqualTo("TLS_UNTRUSTED");
            assertThat(d.findElement(By.cssSelector("#failure .message")).getText()).contains(other.host());
            assertThat(d.getCurrentUrl()).endsWith("/settings");
            browser.screenshot("9-settings-untrusted-certificate");
        }
    }

    @Test
    @Order(4)
    void theStatusColumnShowsAFailedSyncWithItsHint() {
        // stored with a password that is no longer right (changed at the provider since)
        app.getBean(JdbcAccountRepository.class).save(ManagedAccount.of(MAIL.account(OLGA).id(OLGA)
                .password(OLGA, "changed-since").build()));
        WebDriver d = browser.driver();
        d.get(base + "/accounts");
        d.findElement(By.cssSelector("tr[data-account='" + OLGA + "'] .sync-now")).click();
        waitFor(() -> "false".equals(browser.driver().findElement(By.id("sync-notice")).getAttribute("data-running")));
        assertThat(text("sync-notice")).contains("failed (AUTH_FAILED)");

        WebElement row = d.findElement(By.cssSelector("tr[data-account='" + OLGA + "']"));
        assertThat(row.findElement(By.cssSelector(".status .tag")).getText()).isEqualTo("AUTH_FAILED");
        assertThat(row.findElement(By.cssSelector(".status .hint")).getText()).startsWith("What to do:");
        assertThat(row.findElement(By.cssSelector(".last-synced")).getText()).isEqualTo("never");
        browser.screenshot("10-accounts-failed-sync");

        row.findElement(By.cssSelector(".remove")).click();
        assertThat(d.findElement(By.tagName("h1")).getText()).contains(OLGA);
        browser.screenshot("11-remove-confirmation");
        d.findElement(By.id("confirm-remove")).click();
        assertThat(text("flash")).contains("Removed " + OLGA);
        assertThat(d.findElements(By.cssSelector("tr[data-account='" + OLGA + "']"))).isEmpty();
    }

    @Test
    @Order(5)
    void aHostileSubjectIsShownAsTextAndRunsNothing() {
        WebDriver d = browser.driver();
        d.get(base + "/contacts/1009"); // David Kim
        WebElement entry = d.findElement(By.cssSelector("#timeline .entry"));
        assertThat(entry.findElement(By.cssSelector(".subject")).getText()).isEqualTo(HOSTILE);
        assertThat(d.findElements(By.cssSelector("main script, main img, [onerror]"))).isEmpty();
        assertThat(d.getTitle()).isEqualTo("David Kim · imap-sync example"); // no script set it

        entry.findElement(By.cssSelector(".subject a")).click();
        assertThat(d.findElement(By.cssSelector("#email h1")).getText()).isEqualTo(HOSTILE);
        assertThat(d.findElement(By.id("body")).getText()).contains("Please pay invoice 42");
        Object injected = ((JavascriptExecutor) d).executeScript(
                "return document.querySelectorAll('main script, [onerror], [onclick], iframe, form:not([action])').length");
        assertThat(((Number) injected).intValue()).isZero();
        assertThat(d.getTitle()).startsWith(HOSTILE); // the subject as the title, as text: no script set it
        browser.screenshot("12-hostile-message");
    }

    @Test
    @Order(6)
    void aLongTimelineIsPagedByCursor() {
        WebDriver d = browser.driver();
        d.get(base + "/contacts/1004"); // Tom Baker: 21 emails, 20 on a page
        List<String> first = d.findElements(By.cssSelector("#timeline .subject")).stream().map(WebElement::getText)
                .toList();
        assertThat(first).hasSize(ContactsController.PAGE_SIZE).startsWith("Quote request 21");

        d.findElement(By.id("older")).click();
        List<String> second = d.findElements(By.cssSelector("#timeline .subject")).stream().map(WebElement::getText)
                .toList();
        assertThat(second).containsExactly("Quote request 1");
        assertThat(d.findElements(By.id("older"))).isEmpty();
    }

    @Test
    @Order(7)
    void connectWithAnOAuthProviderStoresTheRefreshTokenAndSyncs() {
        WebDriver d = browser.driver();
        d.get(base + "/settings");
        d.findElement(By.id("oauth-acme")).click(); // to the provider's consent, which answers at once, and back
        waitFor(() -> d.getCurrentUrl().endsWith("/settings/folders"));
        assertThat(text("connected")).contains(ANN);
        d.findElement(By.id("save")).click();
        waitFor(() -> "false".equals(browser.driver().findElement(By.id("sync-notice")).getAttribute("data-running")));

        WebElement row = d.findElement(By.cssSelector("tr[data-account='" + ANN + "']"));
        assertThat(row.findElement(By.cssSelector(".status .tag")).getText()).isEqualTo("OK");
        assertThat(app.getBean(JdbcAccountRepository.class).list()).filteredOn(a -> a.id().equals(ANN))
                .singleElement().satisfies(a -> assertThat(a.oauth2()).isTrue());
        // the sync's access token was refreshed from the stored refresh token, not the one of the consent
        assertThat(oauthServer.tokenRequests()).extracting(r -> r.param("grant_type"))
                .containsExactly("authorization_code", "refresh_token");
        d.get(base + "/contacts/1010"); // Sofia Rossi
        assertThat(d.findElement(By.cssSelector("#timeline .subject")).getText()).isEqualTo("Spring collection");
    }

    @Test
    @Order(8)
    void onGmailTheFolderPageExplainsTheRecommendation() {
        WebDriver d = browser.driver();
        d.get(base + "/settings");
        fill(GINA, MAIL.host(), MAIL.imapsPort(), "ssl", "gina-secret");
        d.findElement(By.id("test-connection")).click();
        waitFor(() -> d.getCurrentUrl().endsWith("/settings/folders"));

        List<WebElement> ticked = d.findElements(By.cssSelector("input[name=folders]:checked"));
        // GreenMail announces no SPECIAL-USE, so there is no Important folder (Gmail's has \Important): the
        // page says why Inbox is recommended instead, and how to get Important (with it, Inbox is not ticked and
        // the page says why, in the core's words)
        assertThat(ticked).extracting(b -> b.getAttribute("value")).containsExactlyInAnyOrder("INBOX", "[Gmail].Sent Mail");
        assertThat(text("folder-notes")).contains("This Gmail account shows no Important folder over IMAP")
                .contains("Show in IMAP");
        browser.screenshot("13-settings-folders-gmail");
    }

    @Test
    @Order(9)
    void aPostWithoutTheCsrfTokenIsRefused() {
        WebDriver d = browser.driver();
        d.get(base + "/accounts");
        WebElement form = d.findElement(By.cssSelector("tr[data-account='" + SAM + "'] form"));
        assertThat(form.findElements(By.name("_csrf"))).hasSize(1); // every form carries it
        ((JavascriptExecutor) d).executeScript("document.querySelectorAll('input[name=_csrf]').forEach(e => e.remove())");
        form.findElement(By.cssSelector(".sync-now")).click();

        assertThat(text("refused")).contains("did not carry this page's security token");
    }

    // ------------------------------------------------------------------------------------------

    private static void fill(String email, String host, int port, String security, String password) {
        WebDriver d = browser.driver();
        for (String id : List.of("email", "host", "port", "user")) {
            d.findElement(By.id(id)).clear();
        }
        d.findElement(By.id("email")).sendKeys(email);
        d.findElement(By.id("host")).sendKeys(host);
        d.findElement(By.id("port")).sendKeys(Integer.toString(port));
        new Select(d.findElement(By.id("security"))).selectByValue(security);
        d.findElement(By.id("password")).sendKeys(password);
    }

    private static String text(String id) {
        return browser.driver().findElement(By.id(id)).getText();
    }

    /**
     * Waits up to 60 s (the accounts page reloads itself every 2 s while a sync runs). An element
     * found just before a reload is stale when read: Selenium says so, or ChromeDriver answers "Node
     * with given id does not belong to the document" (seen in CI); either way the condition is asked again.
     */
    private static void waitFor(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser.driver(), Duration.ofSeconds(60), Duration.ofMillis(250))
                .ignoring(StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .until(x -> {
                    try {
                        return condition.getAsBoolean();
                    } catch (org.openqa.selenium.WebDriverException e) {
                        if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                            return false;
                        }
                        throw e;
                    }
                });
    }

    private static String offer() {
        return "From: Maria Schmidt <maria.schmidt@kunde.example>\nTo: Sam <" + SAM + ">\n"
                + "Subject: Offer for the fair in Munich\nDate: " + RFC_5322.format(NOW.minus(Duration.ofDays(3)))
                + "\nMessage-ID: <m1@kunde.example>\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
                + "--outer\nContent-Type: multipart/alternative; boundary=\"alt\"\n\n"
                + "--alt\nContent-Type: text/plain; charset=UTF-8\n\nDear Sam, we need an offer for 12 stands with power"
                + " and Wi-Fi by Friday.\n"
                + "--alt\nContent-Type: text/html; charset=UTF-8\n\n<p>Dear Sam,</p><p>we need an offer for <b>12 stands</b>"
                + " with power and Wi-Fi by Friday.</p><script>document.title='pwned'</script>"
                + "<img src=\"x\" onerror=\"document.title='pwned'\">\n"
                + "--alt--\n"
                + "--outer\nContent-Type: application/pdf; name=\"stand-plan.pdf\"\n"
                + "Content-Disposition: attachment; filename=\"stand-plan.pdf\"\nContent-Transfer-Encoding: base64\n\n"
                + "JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgplbmRvYmoK\n--outer--\n";
    }

    private static String note(String subject) {
        return "From: Alex <alex@acme.example>\nTo: " + SAM + "\nSubject: " + subject + "\nMessage-ID: <"
                + subject.hashCode() + "@acme.example>\nMIME-Version: 1.0\nContent-Type: text/plain\n\nA note.\n";
    }

    private static String reply() {
        return "From: Sam <" + SAM + ">\nTo: Maria Schmidt <maria.schmidt@kunde.example>\n"
                + "Subject: Re: Offer for the fair in Munich\nDate: " + RFC_5322.format(NOW.minus(Duration.ofDays(2)))
                + "\nMessage-ID: <s1@acme.example>\nIn-Reply-To: <m1@kunde.example>\nReferences: <m1@kunde.example>\n"
                + "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\nHello Maria, the offer comes on"
                + " Thursday.\n\nSam\n";
    }

    private static String hostile() {
        return "From: David Kim <david.kim@kimelec.example>\nTo: " + SAM + "\nSubject: " + HOSTILE + "\nDate: "
                + RFC_5322.format(NOW.minus(Duration.ofDays(1))) + "\nMessage-ID: <h1@kimelec.example>\n"
                + "MIME-Version: 1.0\nContent-Type: text/html; charset=UTF-8\n\n<p>Please pay invoice 42.</p>"
                + "<script>document.title='pwned'</script><img src=\"x\" onerror=\"document.title='pwned'\">"
                + "<a href=\"javascript:document.title='pwned'\" onclick=\"document.title='pwned'\">details</a>\n";
    }
}
