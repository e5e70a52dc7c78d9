package org.acslifecycle.drills;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * While a drill runs, everything this JVM logs (the emulators, the CLI commands the drill runs, the SDK clients) goes
 * to {@code <drill logs>/runner.log} too, so that the secrets drill searches those lines as well as the workers'.
 */
final class LogCapture implements AutoCloseable {

    private final FileAppender<ILoggingEvent> appender;

    private LogCapture(FileAppender<ILoggingEvent> appender) {
        this.appender = appender;
    }

    static LogCapture to(Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %level %logger %mdc %msg %ex%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setFile(file.toString());
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return new LogCapture(appender);
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
    }
}
