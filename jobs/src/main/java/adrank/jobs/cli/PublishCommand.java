package adrank.jobs.cli;

import adrank.jobs.pipeline.PublishJob;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.hazelcast.LoadResult;
import adrank.loaders.hazelcast.PublishResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Load the schema's results into a new Hazelcast snapshot version, verify count and checksum "
                + "against HBase, then activate it atomically (a failed publish never becomes active).")
final class PublishCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        try (RunContext ctx = new RunContext(options.config())) {
            Summary.print("publish", describe(PublishJob.run(ctx)));
        }
        return 0;
    }

    static String describe(PublishJob.Outcome o) {
        PublishResult r = o.result();
        return "schema " + r.schema() + " v" + r.version() + " ACTIVE: " + Summary.count(r.entries().count())
                + " entries (checksum " + LoadResult.hex(r.entries().checksum()) + "), "
                + Summary.count(r.parents().count()) + " parents; loaded in " + Summary.seconds(o.load()) + " ("
                + Summary.rate(r.entries().count(), o.load()) + " entries), verified in " + r.verifyMillis() + " ms, "
                + Summary.seconds(o.elapsed()) + " in all; " + Summary.count(o.served()) + " keys recorded as served"
                + (r.destroyedMaps().isEmpty() ? "" : "; destroyed " + r.destroyedMaps());
    }
}
