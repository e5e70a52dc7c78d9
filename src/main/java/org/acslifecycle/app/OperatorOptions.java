package org.acslifecycle.app;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.core.OperatorResult;
import org.acslifecycle.core.OperatorService;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What every operator command shares: the person, who asks and why, output format, configuration. */
final class OperatorOptions {

    /** Exit code when the ledger's rules refuse the command for this person. */
    static final int REFUSED = 4;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Parameters(index = "0", paramLabel = "EXTERNAL_ID", description = "The person's id in HR/IAM.")
    String externalId;

    @Mixin
    ActorOptions actor;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    OperatorService.Request request() {
        return new OperatorService.Request(externalId, actor.operator, actor.reason());
    }

    /** Opens the ledger and ACS from the configuration, runs {@code command}, prints what it did. */
    int run(java.util.function.Function<OperatorService, OperatorResult> command) {
        try (Wiring wiring = configOptions.wiring()) {
            OperatorResult result = command.apply(wiring.operators());
            return print(result);
        }
    }

    private int print(OperatorResult result) {
        PrintWriter out = spec.commandLine().getOut();
        if (result instanceof OperatorResult.Refused refused) {
            if (json) {
                out.println(Json.write(Map.of("result", "refused", "externalId", externalId, "reason", refused.reason())));
            } else {
                spec.commandLine().getErr().println("refused: " + refused.reason());
            }
            return REFUSED;
        }
        OperatorResult.Done done = (OperatorResult.Done) result;
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("result", "done");
            body.put("externalId", externalId);
            body.put("summary", done.summary());
            body.put("state", done.record().state());
            body.put("acsUserId", done.record().acsUserId().orElse(null));
            done.token().ifPresent(token -> {
                body.put("token", token.token());
                body.put("expiresOn", token.expiresOn().toString());
            });
            out.println(Json.write(body));
        } else {
            out.printf("%s: %s (now %s, ACS user %s)%n", externalId, done.summary(), done.record().state(),
                    done.record().acsUserId().orElse("(none)"));
            done.token().ifPresent(token -> {
                out.println("token: " + token.token());
                out.println("expires: " + token.expiresOn());
            });
        }
        return 0;
    }
}
