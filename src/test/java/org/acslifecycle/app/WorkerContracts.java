package org.acslifecycle.app;

import java.nio.file.Path;
import java.util.Map;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.core.event.EventContract;

/** The event contract a worker started on a configuration file reads its messages with (as {@link Worker} builds it). */
public final class WorkerContracts {

    private WorkerContracts() {}

    public static EventContract of(Path configFile) {
        return WorkerSettings.from(Config.load(configFile, Map.of())).eventContract();
    }
}
