package org.acslifecycle.identity;

import com.azure.core.exception.HttpResponseException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;

/** ACS calls by operation and outcome with their latency, and 429s, per HTTP attempt. */
final class AcsMetrics {

    private final MeterRegistry registry;

    AcsMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    <T> T timed(String operation, Supplier<T> attempt) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            T result = attempt.get();
            outcome = "ok";
            return result;
        } catch (HttpResponseException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            outcome = String.valueOf(status);
            if (status == 429) {
                Counter.builder("acs.lifecycle.acs.throttled").tag("operation", operation)
                        .description("ACS answers 429 Too Many Requests").register(registry).increment();
            }
            throw e;
        } finally {
            Timer.builder("acs.lifecycle.acs.calls").tag("operation", operation).tag("outcome", outcome)
                    .description("ACS Identity HTTP attempts by operation and outcome (ok or HTTP status)")
                    .register(registry).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}
