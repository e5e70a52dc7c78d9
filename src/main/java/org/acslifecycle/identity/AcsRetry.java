package org.acslifecycle.identity;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.acslifecycle.core.port.DirectoryFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter's only retry layer (resilience4j; the SDK's own retry is switched off). One logical call makes at most
 * {@code maxAttempts} HTTP attempts. Transient failures are retried; a {@code Retry-After} from ACS is waited exactly,
 * otherwise exponential back-off with jitter. A call is bounded in time: no retry is started once
 * {@code maxTotal} has passed or when ACS asks to wait longer than what is left.
 *
 * <p>Each call gets its own {@link Retry} because the time budget is per call; {@link RetryConfig} is immutable and
 * cheap to derive.
 */
final class AcsRetry {

    private static final Logger LOG = LoggerFactory.getLogger(AcsRetry.class);

    private final RetrySettings settings;
    private final FailureClassifier classifier;
    private final LongSupplier nanoTime;
    private final IntervalFunction backoff;

    AcsRetry(RetrySettings settings, FailureClassifier classifier, LongSupplier nanoTime) {
        this.settings = settings;
        this.classifier = classifier;
        this.nanoTime = nanoTime;
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(settings.initialBackoff(), 2.0,
                settings.jitter(), settings.maxBackoff());
    }

    /**
     * Runs {@code attempt} until it succeeds, fails for good, or the budget is spent; always ends in a result or a
     * {@link DirectoryFailure}.
     *
     * @param effectNotIdempotent true for creates: a retry after an ambiguous failure may leave an orphan identity
     */
    <T> T call(String operation, boolean effectNotIdempotent, Supplier<T> attempt) {
        long deadline = nanoTime.getAsLong() + settings.maxTotal().toNanos();
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .retryOnException(e -> shouldRetry(e, deadline, effectNotIdempotent))
                .intervalBiFunction((Integer attempts, Either<Throwable, Object> outcome) ->
                        waitMillis(attempts, outcome, deadline))
                .build();
        Retry retry = Retry.of("acs-" + operation, config);
        retry.getEventPublisher().onRetry(event -> {
            Throwable last = event.getLastThrowable();
            if (effectNotIdempotent && last instanceof DirectoryFailure failure
                    && FailureClassifier.mayHaveTakenEffect(failure)) {
                LOG.warn("{} attempt {} failed ambiguously ({}); retrying with the same Repeatability-Request-ID. If"
                        + " ACS did create an identity and ignores the header, that one is now an orphan",
                        operation, event.getNumberOfRetryAttempts(), failure.getMessage());
            } else {
                LOG.debug("{} attempt {} failed ({}); retrying in {} ms", operation, event.getNumberOfRetryAttempts(),
                        last == null ? "?" : last.getMessage(), event.getWaitInterval().toMillis());
            }
        });
        Supplier<T> classified = () -> {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                throw classifier.classify(operation, e);
            }
        };
        return Retry.decorateSupplier(retry, classified).get();
    }

    private boolean shouldRetry(Throwable error, long deadline, boolean effectNotIdempotent) {
        if (!(error instanceof DirectoryFailure.Transient failure)) {
            return false;
        }
        if (effectNotIdempotent && !settings.retryAmbiguousCreate() && FailureClassifier.mayHaveTakenEffect(failure)) {
            return false;
        }
        long left = deadline - nanoTime.getAsLong();
        if (left <= 0) {
            return false;
        }
        Optional<Duration> retryAfter = failure.retryAfter();
        return retryAfter.isEmpty() || retryAfter.get().toNanos() < left;
    }

    private long waitMillis(int attempts, Either<Throwable, Object> outcome, long deadline) {
        long leftMillis = Math.max(0, (deadline - nanoTime.getAsLong()) / 1_000_000);
        if (outcome.isLeft() && outcome.getLeft() instanceof DirectoryFailure.Transient failure
                && failure.retryAfter().isPresent()) {
            return Math.min(failure.retryAfter().get().toMillis(), leftMillis);
        }
        return Math.min(backoff.apply(attempts), leftMillis);
    }
}
