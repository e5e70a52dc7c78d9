package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {

    @Test
    void theJsonFormatWritesOneJsonObjectPerLineWithTheEventsFields() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
        Encoder<ILoggingEvent> human = console.getEncoder();
        try {
            LogSetup.apply(WorkerSettings.LogFormat.JSON);

            LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("test"),
                    ch.qos.logback.classic.Level.INFO, "Applied user.onboarded to alice", null, null);
            event.setMDCPropertyMap(Map.of("event.id", "e-1", "event.type", "user.onboarded", "event.subject", "alice"));
            String line = new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);

            assertThat(line.strip()).doesNotContain("\n");
            JsonNode json = new ObjectMapper().readTree(line);
            assertThat(json.get("message").asText()).isEqualTo("Applied user.onboarded to alice");
            assertThat(json.get("level").asText()).isEqualTo("INFO");
            assertThat(json.at("/mdc/event.subject").asText()).isEqualTo("alice");
            assertThat(json.at("/mdc/event.id").asText()).isEqualTo("e-1");
        } finally {
            console.stop();
            console.setEncoder(human);
            console.start();
        }
    }
}
