package org.acslifecycle.emulators.acs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The JSON bodies of the Identity API (api-version 2022-10-01 models, ACS note §4), as Jackson records. */
final class WireModels {

    private WireModels() {
    }

    /** {@code POST /identities}; every field optional. */
    record CreateRequest(List<String> createTokenWithScopes, Integer expiresInMinutes) {
        static final CreateRequest EMPTY = new CreateRequest(null, null);

        boolean wantsToken() {
            return createTokenWithScopes != null && !createTokenWithScopes.isEmpty();
        }
    }

    /** {@code POST /identities/{id}/:issueAccessToken}; {@code scopes} required. */
    record IssueRequest(List<String> scopes, Integer expiresInMinutes) {
    }

    record IdentityBody(String id) {
    }

    record AccessTokenBody(String token, String expiresOn) {
        @Override
        public String toString() {
            return "AccessTokenBody[token=<redacted>, expiresOn=" + expiresOn + "]";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CreateResponse(IdentityBody identity, AccessTokenBody accessToken) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ErrorDetail(String code, String message, String target) {
    }

    record ErrorEnvelope(ErrorDetail error) {
    }
}
