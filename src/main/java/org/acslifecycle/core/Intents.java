package org.acslifecycle.core;

import java.util.Optional;
import java.util.function.Function;
import org.acslifecycle.core.port.DirectoryFailure;
import org.acslifecycle.core.port.PersonUnitOfWork;

/**
 * The one way an ACS call is made under a person's lock: abandon what an earlier attempt left pending,
 * record the intent (durable), call, then complete the intent in the unit's commit. Used by the event
 * path and by the operators' commands alike.
 */
final class Intents {

    private Intents() {}

    /**
     * Runs {@code call} for {@code action} between intent and result; {@code leftOver} is what
     * {@link PersonUnitOfWork#pendingIntent()} found (the caller has read it already). A refusal by ACS (permanent or
     * systemic) marks the intent FAILED, since nothing happened there; any other failure leaves it
     * PENDING for the next attempt to find.
     */
    static <T> T run(PersonUnitOfWork work, Optional<Intent> leftOver, EventKey key, Intent.Action action,
            Optional<String> target, Function<Intent, T> call) {
        leftOver.ifPresent(left ->
                work.close(left, Intent.Status.ABANDONED, "superseded by a later attempt of " + key));
        Intent intent = work.recordIntent(key, action, target);
        T result;
        try {
            result = call.apply(intent);
        } catch (DirectoryFailure.Permanent | DirectoryFailure.Systemic refused) {
            work.close(intent, Intent.Status.FAILED, refused.getMessage());
            throw refused;
        }
        work.complete(intent);
        return result;
    }
}
