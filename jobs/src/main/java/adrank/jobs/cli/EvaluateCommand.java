package adrank.jobs.cli;

import adrank.jobs.pipeline.EvaluateHtml;
import adrank.jobs.pipeline.EvaluateJob;
import adrank.jobs.pipeline.EvaluateReport;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.config.AdrankConfig;
import adrank.loaders.eval.TruthFile;
import adrank.udfs.eval.Buckets;
import adrank.udfs.eval.CpmErrors;
import adrank.udfs.eval.Prediction;
import adrank.udfs.eval.Scorecard;
import adrank.udfs.eval.Truth;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Next-day backtest: recompute every key's predictions as of each day D in [--from, --to) from "
                + "the stored by-day history with the current settings (-Drank...), and score them against what D+1 "
                + "realised: the rank beside the raw CPM and the parent CPM, overall and per volume bucket.")
final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--from", required = true, paramLabel = "yyyy-MM-dd", description = "The first day D predicted.")
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "yyyy-MM-dd",
            description = "The day after the last D: only realised (predict D, realise D+1 for D in [from, to)).")
    LocalDate to;

    @Option(names = "--truth", paramLabel = "FILE", description = "A generator's truth file (<input.path>/truth/"
            + "keys.tsv): adds billing buckets, the error against the true CPM and the VPC interval coverage.")
    Path truth;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write JSON lines, one per (scope, bucket, predictor, metric); money in micros.")
    Path json;

    @Option(names = "--source", defaultValue = "recompute", paramLabel = "recompute|served", description = "Where "
            + "the predictions of D come from: recomputed from the stored history with the current settings (default), "
            + "or what was served on D+1, as the publishes of that day recorded it (no CTR/CVR).")
    String source;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write one self-contained HTML page (works "
            + "offline): reliability diagrams, error by bucket, rank/raw CPM histogram, VPC coverage, and the tables.")
    Path html;

    @Option(names = "--segment-level", paramLabel = "DIMS", split = ",", description = "Also report per parent "
            + "segment of these key dimensions, e.g. geo or geo,device (console, JSON, HTML).")
    List<String> segmentLevel;

    @Option(names = "--segment-top", defaultValue = "20", paramLabel = "N", description = "With --segment-level: the N "
            + "segments with the most D+1 impressions get a row each, the rest one row (default ${DEFAULT-VALUE}).")
    int segmentTop;

    @Option(names = "--thin-below", defaultValue = "100", paramLabel = "IMPS",
            description = "Keys with fewer impressions as of D are thin (default ${DEFAULT-VALUE}).")
    long thinBelow;

    @Option(names = "--thick-from", defaultValue = "10000", paramLabel = "IMPS",
            description = "Keys with at least this many impressions as of D are thick (default ${DEFAULT-VALUE}).")
    long thickFrom;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!to.isAfter(from)) {
            throw new ParameterException(spec.commandLine(), "--to (" + to + ") must be after --from (" + from
                    + "): D+1 of the last D is --to");
        }
        if (thinBelow < 1 || thickFrom < thinBelow) {
            throw new ParameterException(spec.commandLine(), "--thin-below (" + thinBelow + ") and --thick-from ("
                    + thickFrom + ") must be 1 <= thin-below <= thick-from");
        }
        if (!source.equals("recompute") && !source.equals("served")) {
            throw new ParameterException(spec.commandLine(), "--source (" + source + ") must be recompute or served");
        }
        if (segmentTop < 1) {
            throw new ParameterException(spec.commandLine(), "--segment-top (" + segmentTop + ") must be >= 1");
        }
        AdrankConfig config = options.config();
        if (segmentLevel != null) {
            List<String> dimensions = config.key().dimensions();
            for (String d : segmentLevel) {
                if (!dimensions.contains(d)) {
                    throw new ParameterException(spec.commandLine(), "--segment-level names '" + d
                            + "', which is not one of the key dimensions " + dimensions);
                }
            }
        }
        try (RunContext ctx = new RunContext(config)) {
            Map<String, Truth> truths = truth == null ? null
                    : TruthFile.read(truth, ctx.config().key().dimensions(), ctx.config().key().separator());
            EvaluateJob.Outcome o = EvaluateJob.run(ctx, from, to, truths, new Buckets(thinBelow, thickFrom),
                    segmentLevel, segmentTop,
                    source.equals("served") ? EvaluateJob.Source.SERVED : EvaluateJob.Source.RECOMPUTE);
            EvaluateReport.table(o, System.out);
            long lines = 0;
            if (json != null) {
                try (PrintStream out = new PrintStream(Files.newOutputStream(json), false, StandardCharsets.UTF_8)) {
                    lines = EvaluateReport.jsonLines(o, out);
                }
            }
            if (html != null) {
                Files.writeString(html, EvaluateHtml.page(o), StandardCharsets.UTF_8);
            }
            Scorecard.Cell all = o.scorecard().cells().get(Scorecard.ALL);
            String rmse = all == null ? "no keys scored" : "next-day RMSE rank $" + rmse(all, Prediction.RANK)
                    + " vs raw $" + rmse(all, Prediction.RAW) + " vs parent $" + rmse(all, Prediction.PARENT)
                    + ", calibration " + EvaluateReport.ratio(all.nextDay(Prediction.RANK).calibration());
            Summary.print("evaluate", (source.equals("served") ? "served, " : "") + from + " to " + to + " ("
                    + (to.toEpochDay() - from.toEpochDay()) + " day(s) predicted), " + Summary.count(all == null ? 0 : all.keys()) + " key-days of "
                    + Summary.count(o.keys()) + " keys, " + Summary.count(o.faulty()) + " faulty; " + rmse
                    + (json == null ? "" : "; " + Summary.count(lines) + " JSON lines in " + json)
                    + (html == null ? "" : "; page " + html) + ", "
                    + Summary.seconds(o.elapsed()));
        }
        return 0;
    }

    private static String rmse(Scorecard.Cell cell, int predictor) {
        CpmErrors.Result r = cell.nextDay(predictor);
        return EvaluateReport.dollars(r.rmse());
    }
}
