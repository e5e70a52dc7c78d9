package org.acslifecycle.core.port;

import java.util.Optional;
import org.acslifecycle.core.EventKey;
import org.acslifecycle.core.OutcomeType;
import org.acslifecycle.core.PersonState;

/** The outcome events of DESIGN §3, sent once ACS has acknowledged an effect (or none was needed). */
public interface Outcomes {

    /**
     * @param cause     the event the outcome answers: the outcome's id is derived from it and {@code type},
     *                  so a re-sent outcome is removed by duplicate detection
     * @param subject   the person
     */
    void publish(OutcomeType type, EventKey cause, String causeType, String subject, Optional<String> acsUserId,
            PersonState state);
}
