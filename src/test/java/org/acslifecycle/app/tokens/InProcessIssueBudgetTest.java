package org.acslifecycle.app.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.acslifecycle.core.port.IssueBudget;
import org.junit.jupiter.api.Test;

class InProcessIssueBudgetTest {

    @Test
    void grantsOneSecondsShareAtOnceThenTellsWhenToComeBack() {
        // 300 per 30 s at 90 % is 9 a second.
        InProcessIssueBudget budget = new InProcessIssueBudget(300, Duration.ofSeconds(30));

        List<IssueBudget.Permit> permits = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            permits.add(budget.tryTake());
        }

        long granted = permits.stream().filter(IssueBudget.Granted.class::isInstance).count();
        // A slice boundary may fall inside the loop: one or two slices' worth, never the whole window's.
        assertThat(granted).isBetween(9L, 18L);
        IssueBudget.Exhausted exhausted = (IssueBudget.Exhausted) permits.get(permits.size() - 1);
        assertThat(exhausted.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aBudgetOfNothingIsAConfigurationMistake() {
        assertThatThrownBy(() -> new InProcessIssueBudget(0, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
