package adrank.jobs;

import adrank.loaders.local.EmbeddedHBase;
import java.nio.file.Path;

/**
 * The embedded HBase of {@code rank local up} alone, run by {@link LocalStackCrashIT} in a JVM it
 * kills: starts on the data directory and ZooKeeper port given as arguments, prints {@link #READY}
 * and runs until killed (or exits 1 if the start fails).
 */
public final class LocalStackChild {

    static final String READY = "local stack child: ready";

    private LocalStackChild() {
    }

    public static void main(String[] args) throws Exception {
        try {
            EmbeddedHBase.start(Path.of(args[0]), Integer.parseInt(args[1]));
        } catch (Exception e) {
            e.printStackTrace();
            // as the CLI does: HBase's threads would keep the JVM of a failed start alive
            System.exit(1);
        }
        System.out.println(READY);
        Thread.currentThread().join();
    }
}
