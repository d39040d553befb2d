package dev.imapsync.oauth;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.imapsync.account.AccessTokenException;
import dev.imapsync.account.AccessTokenException.Reason;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Reads a provider's endpoints from its discovery document (OpenID Connect Discovery 1.0, RFC 8414). */
final class Discovery {
    private Discovery() {
    }

    static OAuth2Provider.Builder fetch(String name, URI issuer, Duration timeout) {
        String base = issuer.toString().replaceAll("/+$", "");
        AccessTokenException last = null;
        for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            URI uri = URI.create(base + path);
            HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, uri);
            request.setConnectTimeout((int) timeout.toMillis());
            request.setReadTimeout((int) timeout.toMillis());
            HTTPResponse response;
            try {
                response = request.send();
            } catch (IOException e) {
                throw new AccessTokenException(Reason.SERVER_UNAVAILABLE, "The discovery document of " + name + " at "
                        + uri + " could not be read (" + e.getClass().getSimpleName() + "): the server is down or"
                        + " unreachable; try again later", e);
            }
            if (response.getStatusCode() >= 500) {
                throw new AccessTokenException(Reason.SERVER_UNAVAILABLE, "The discovery document of " + name + " at "
                        + uri + " answered HTTP " + response.getStatusCode() + "; try again later", null);
            }
            if (response.getStatusCode() != 200) {
                last = new AccessTokenException(Reason.MISCONFIGURED, "No discovery document for " + name + " under "
                        + base + " (HTTP " + response.getStatusCode() + "): check the issuer URL, or give the"
                        + " authorization and token endpoints yourself", null);
                continue;
            }
            try {
                AuthorizationServerMetadata metadata = AuthorizationServerMetadata.parse(response.getBodyAsJSONObject());
                if (metadata.getAuthorizationEndpointURI() == null || metadata.getTokenEndpointURI() == null) {
                    throw new ParseException("no authorization_endpoint or token_endpoint");
                }
                String declared = metadata.getIssuer() == null ? "" : metadata.getIssuer().getValue().replaceAll("/+$", "");
                if (!declared.equals(base)) {
                    // RFC 8414 3.3 and OpenID Connect Discovery 4.3: a document for another issuer is not used
                    throw new ParseException("it names the issuer '" + declared + "', not " + base);
                }
                return OAuth2Provider.builder(name)
                        .authorizationEndpoint(metadata.getAuthorizationEndpointURI())
                        .tokenEndpoint(metadata.getTokenEndpointURI());
            } catch (ParseException e) {
                throw new AccessTokenException(Reason.MISCONFIGURED, "The discovery document of " + name + " at " + uri
                        + " is not usable (" + e.getMessage() + "): check the issuer URL", null);
            }
        }
        throw last;
    }
}
