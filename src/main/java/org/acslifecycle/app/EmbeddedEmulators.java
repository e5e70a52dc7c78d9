package org.acslifecycle.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.AcsIdentityEmulator;
import org.acslifecycle.emulators.servicebus.ServiceBusEmulator;
import org.acslifecycle.emulators.servicebus.ServiceBusEmulatorOptions;
import org.acslifecycle.emulators.servicebus.topology.Topology;
import org.acslifecycle.emulators.servicebus.topology.TopologyLoader;

/** Both emulators in this process, on 127.0.0.1: for {@code local} and {@code emulators}. */
public final class EmbeddedEmulators implements AutoCloseable {

    /** The project's topology, also packed into the jar so {@code local} runs from any directory. */
    static final String TOPOLOGY_RESOURCE = "/config/servicebus-config.json";

    private final ServiceBusEmulator serviceBus;
    private final AcsIdentityEmulator acs;

    private EmbeddedEmulators(ServiceBusEmulator serviceBus, AcsIdentityEmulator acs) {
        this.serviceBus = serviceBus;
        this.acs = acs;
    }

    public static EmbeddedEmulators start(Topology topology, int serviceBusPort, AcsEmulatorConfig acsConfig) {
        return start(ServiceBusEmulatorOptions.of(topology, serviceBusPort), acsConfig);
    }

    public static EmbeddedEmulators start(ServiceBusEmulatorOptions serviceBusOptions, AcsEmulatorConfig acsConfig) {
        int serviceBusPort = serviceBusOptions.port();
        ServiceBusEmulator serviceBus;
        try {
            serviceBus = ServiceBusEmulator.start(serviceBusOptions);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Service Bus emulator on port " + serviceBusPort + ": "
                    + e.getMessage(), e);
        }
        try {
            return new EmbeddedEmulators(serviceBus, AcsIdentityEmulator.start(acsConfig));
        } catch (RuntimeException e) {
            closeQuietly(serviceBus);
            throw e;
        }
    }

    /** The project's own topology file, relative to the working directory. */
    static final Path DEFAULT_TOPOLOGY = Path.of("config", "servicebus-config.json");

    /**
     * {@code file} when it exists; for the default path only, the copy of the project's topology in the jar
     * (so the jar runs from any directory). Any other missing file is an error.
     */
    public static Topology topology(Path file) {
        TopologyLoader loader = new TopologyLoader();
        try {
            if (file != null && Files.isRegularFile(file)) {
                return loader.load(file);
            }
            if (file != null && !file.normalize().equals(DEFAULT_TOPOLOGY)) {
                throw new IllegalArgumentException("no Service Bus topology file at " + file);
            }
            try (InputStream in = EmbeddedEmulators.class.getResourceAsStream(TOPOLOGY_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("no Service Bus topology at " + file + " and none in the jar");
                }
                return loader.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Service Bus topology: " + e.getMessage(), e);
        }
    }

    public ServiceBusEmulator serviceBus() {
        return serviceBus;
    }

    public AcsIdentityEmulator acs() {
        return acs;
    }

    @Override
    public void close() {
        closeQuietly(serviceBus);
        acs.close();
    }

    private static void closeQuietly(ServiceBusEmulator emulator) {
        try {
            emulator.close();
        } catch (Exception ignored) {
            // Stopping: nothing useful to do with a failure here.
        }
    }
}
