package org.acslifecycle.app;

import java.util.Optional;
import picocli.CommandLine.Option;

/** Who acts and why, for the audit trail: shared by the commands that change what the ledger or ACS holds. */
final class ActorOptions {

    @Option(names = "--operator", paramLabel = "NAME", defaultValue = "${env:USER:-operator}",
            description = "Who is acting, for the audit trail (default: $USER).")
    String operator;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail.")
    String reason;

    Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** Operator and reason, for a command that must say why (a legal hold, a decision over deletions). */
    org.acslifecycle.core.DeletionControls.Actor required(picocli.CommandLine.Model.CommandSpec spec) {
        if (reason == null || reason.isBlank()) {
            throw DeletionsCommand.missingReason(spec);
        }
        return new org.acslifecycle.core.DeletionControls.Actor(operator, reason);
    }
}
