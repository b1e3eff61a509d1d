package adrank.jobs.cli;

import adrank.jobs.pipeline.PublishJob;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.hazelcast.LoadResult;
import adrank.loaders.hazelcast.PublishResult;
import adrank.loaders.hazelcast.VersionControl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Load the schema's results into a new Hazelcast snapshot version, verify count and checksum "
                + "against HBase, then activate it atomically (a failed publish never becomes active). While the "
                + "schema is pinned (after `versions rollback` or `versions pin`) the version is loaded and verified "
                + "but stays READY, not active.")
final class PublishCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--stage", description = "Load and verify, but do not activate: the version stays READY as "
            + "staged (kept by retention) until `versions activate N` or use as B (`versions ab --b N`).")
    boolean stage;

    @Override
    public Integer call() throws Exception {
        try (RunContext ctx = new RunContext(options.config())) {
            Summary.print("publish", describe(PublishJob.run(ctx, stage)));
        }
        return 0;
    }

    static String describe(PublishJob.Outcome o) {
        PublishResult r = o.result();
        String state = r.activated() ? "ACTIVE" : (r.change().after().staged().contains(r.version()) ? "STAGED"
                : "READY") + " (" + r.whyNotActive() + "; " + VersionControl.name(r.change().after().active())
                + " stays active)";
        return "schema " + r.schema() + " v" + r.version() + " " + state + ": " + Summary.count(r.entries().count())
                + " entries (checksum " + LoadResult.hex(r.entries().checksum()) + "), "
                + Summary.count(r.parents().count()) + " parents; loaded in " + Summary.seconds(o.load()) + " ("
                + Summary.rate(r.entries().count(), o.load()) + " entries), verified in " + r.verifyMillis() + " ms, "
                + Summary.seconds(o.elapsed()) + " in all; " + Summary.count(o.served()) + " keys recorded as served"
                + (r.destroyedMaps().isEmpty() ? "" : "; destroyed " + r.destroyedMaps());
    }
}
