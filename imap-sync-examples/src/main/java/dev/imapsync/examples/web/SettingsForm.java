package dev.imapsync.examples.web;

import java.util.Locale;

/**
 * The fields of the Email Sync settings form, as the browser posts them. The password is read
 * from the POST body once and never given back to a page: after an error the field is empty
 * ({@link #withoutPassword()}).
 */
public final class SettingsForm {
    private String email = "";
    private String host = "";
    private Integer port;
    private String security = "ssl";
    private String user = "";
    private String password = "";
    private boolean allowInsecure;

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email == null ? "" : email.strip();
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public String getSecurity() {
        return security;
    }

    public void setSecurity(String security) {
        this.security = security == null ? "ssl" : security;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user == null ? "" : user.strip();
    }

    /** Never read by a template: the password field is always rendered empty. */
    String password() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password == null ? "" : password;
    }

    public boolean isAllowInsecure() {
        return allowInsecure;
    }

    public void setAllowInsecure(boolean allowInsecure) {
        this.allowInsecure = allowInsecure;
    }

    /** The login name: the user field, else the email address. */
    String login() {
        return user.isEmpty() ? email : user;
    }

    /** This form without its password, to render again. */
    SettingsForm withoutPassword() {
        password = "";
        return this;
    }

    @Override
    public String toString() {
        return "SettingsForm[email=" + email + ", host=" + host + ", port=" + port + ", security=" + security
                + ", user=" + user + ", password=****]";
    }
}
