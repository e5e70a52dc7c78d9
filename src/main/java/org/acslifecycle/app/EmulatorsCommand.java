package org.acslifecycle.app;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/**
 * {@code emulators}: runs the embedded emulators standalone, bound to 127.0.0.1, prints one
 * {@code KEY=value} line per thing a client needs, then serves until stopped.
 */
@Command(name = "emulators", mixinStandardHelpOptions = true,
        description = "Run the embedded Service Bus and ACS Identity emulators until stopped.")
final class EmulatorsCommand implements Callable<Integer> {

    // --- ACS Identity emulator options (owned by the ACS emulator work) ---

    // --- Service Bus emulator options (owned by the Service Bus emulator work) ---

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        // --- start ACS Identity emulator here ---
        // --- start Service Bus emulator here ---
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "emulators-shutdown"));
        System.out.flush();
        stopped.await();
        return 0;
    }
}
