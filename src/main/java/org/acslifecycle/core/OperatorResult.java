package org.acslifecycle.core;

import java.util.Optional;
import org.acslifecycle.core.port.AccessTokens.IssuedToken;

/** What an operator's command did, or why it was refused. */
public sealed interface OperatorResult {

    /** Done (or found already done): the person's record afterwards, and a token if one was asked for. */
    record Done(PersonRecord record, Optional<IssuedToken> token, String summary) implements OperatorResult {}

    /** Nothing was done, because the ledger's rules forbid it for this person. */
    record Refused(String reason) implements OperatorResult {}
}
