package adrank.jobs.pipeline;

import adrank.loaders.report.ChartLibrary;
import adrank.udfs.eval.CpmErrors;
import adrank.udfs.eval.Ndcg;
import adrank.udfs.eval.Prediction;
import adrank.udfs.eval.RatioHistogram;
import adrank.udfs.eval.Reliability;
import adrank.udfs.eval.Scorecard;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code rank evaluate --html}: one self-contained page (Chart.js inlined from its WebJar, the data as
 * JSON in the page; no request leaves it) with the plots of the scorecard and the console's tables.
 * Money in dollars (CPM: $ per thousand impressions), rates in percent.
 *
 * <p>Plots, each a {@code <canvas data-plot="...">}:
 * <ol>
 *   <li>{@code reliability-cpm} (and {@code reliability-cpm-truth} with a truth,
 *       {@code reliability-ctr}, {@code reliability-cvr}): per predictor, the realised vs the mean
 *       predicted value of each decile of D+1 impressions (clicks for the CVR) ordered by the
 *       prediction, beside the diagonal of perfect calibration;</li>
 *   <li>{@code errors-next_day-mae}, {@code errors-next_day-rmse} (and {@code errors-truth-*}): per
 *       bucket, the impression-weighted error of each predictor as grouped bars;</li>
 *   <li>{@code ratio}: histogram of rank / raw CPM in log bins, stacked by volume bucket;</li>
 *   <li>{@code coverage} (with a truth): the share of true VPCs inside the rank's credible
 *       interval per bucket, against the nominal level and its ±2 standard errors.</li>
 * </ol>
 */
public final class EvaluateHtml {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Groups of the reliability diagrams: deciles. */
    public static final int DECILES = 10;
    /** The plots of a page with a truth, in page order. */
    public static final List<String> PLOTS_WITH_TRUTH = List.of("reliability-cpm", "reliability-cpm-truth",
            "reliability-ctr", "reliability-cvr", "errors-next_day-mae", "errors-next_day-rmse", "errors-truth-mae",
            "errors-truth-rmse", "ratio", "coverage");

    private EvaluateHtml() {
    }

    /** The page. */
    public static String page(EvaluateJob.Outcome o) {
        Scorecard s = o.scorecard();
        Map<String, Scorecard.Cell> cells = s.cells();
        Scorecard.Cell all = cells.get(Scorecard.ALL);
        boolean truth = all != null && all.truthKeys() > 0;
        ObjectNode data = MAPPER.createObjectNode();
        data.set("predictors", MAPPER.valueToTree(Prediction.PREDICTORS));
        ArrayNode reliability = data.putArray("reliability");
        reliability.add(reliability("reliability-cpm", "CPM: realised vs predicted, by decile of D+1 impressions",
                "mean predicted CPM ($)", "realised CPM ($)", s::cpmReliability, 1e-6));
        if (truth) {
            reliability.add(reliability("reliability-cpm-truth", "CPM: true vs predicted, by decile of D+1 "
                    + "impressions", "mean predicted CPM ($)", "true CPM ($)", s::cpmTruthReliability, 1e-6));
        }
        if (s.ctrReliability(Prediction.RANK).keys() > 0) { // a served record holds no CTR or CVR
            reliability.add(reliability("reliability-ctr", "CTR: realised vs predicted, by decile of D+1 impressions",
                    "mean predicted CTR (%)", "realised CTR (%)", s::ctrReliability, 100));
        }
        if (s.cvrReliability(Prediction.RANK).keys() > 0) {
            reliability.add(reliability("reliability-cvr", "CVR (conversions per click): realised vs predicted, by "
                    + "decile of D+1 clicks", "mean predicted CVR (%)", "realised CVR (%)", s::cvrReliability, 100));
        }
        ArrayNode errors = data.putArray("errors");
        errors.add(errors("errors-next_day-mae", "next day: MAE of the CPM ($, weighted by D+1 impressions)", cells,
                c -> i -> c.nextDay(i).mae()));
        errors.add(errors("errors-next_day-rmse", "next day: RMSE of the CPM ($, weighted by D+1 impressions)", cells,
                c -> i -> c.nextDay(i).rmse()));
        if (truth) {
            errors.add(errors("errors-truth-mae", "against the truth: MAE of the CPM ($, weighted by D+1 impressions)",
                    cells, c -> i -> c.truth(i).mae()));
            errors.add(errors("errors-truth-rmse", "against the truth: RMSE of the CPM ($, weighted by D+1 "
                    + "impressions)", cells, c -> i -> c.truth(i).rmse()));
        }
        data.set("ratio", ratios(s.rankRawRatios()));
        if (truth) {
            data.set("coverage", coverage(cells));
        }
        StringBuilder h = new StringBuilder(300_000);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>rank evaluate ")
                .append(o.from()).append(" to ").append(o.to()).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>rank evaluate: ").append(EvaluateReport.what(o)).append(", D in [").append(o.from()).append(", ")
                .append(o.to()).append(")</h1>\n<p>").append(EvaluateReport.count(all == null ? 0 : all.keys()))
                .append(" key-days of ").append(EvaluateReport.count(o.keys())).append(" keys; scored per day:");
        s.keysPerDay().forEach((d, n) -> h.append(' ').append(d).append(' ').append(EvaluateReport.count(n)));
        h.append(". Not scored: ").append(escape(EvaluateReport.notScored(o))).append("; ")
                .append(EvaluateReport.count(o.faulty())).append(" faulty. Money in dollars; CPM = $ per thousand "
                        + "impressions.</p>\n");

        h.append("<h2>1. Calibration by prediction level (reliability diagrams)</h2>\n<p>Key-days ordered by their "
                + "prediction and cut into deciles of D+1 impressions (clicks for the CVR; a decile never splits a "
                + "bin of 1/10 of a power of ten, so ties, e.g. thin keys at their parent's CPM, make fewer, larger "
                + "groups). Each point: the decile's mean prediction and what it realised; on the diagonal the "
                + "prediction is calibrated.</p>\n");
        for (var r : reliability) {
            plot(h, r.get("id").asText());
        }
        h.append("<h2>2. Error by bucket</h2>\n<p>Impression-weighted MAE and RMSE of the predicted CPM per volume "
                + "(thin / medium / thick by impressions as of D) and billing bucket.</p>\n");
        for (var e : errors) {
            plot(h, e.get("id").asText());
        }
        h.append("<h2>3. How far the rank moves a key from its own CPM</h2>\n<p>Histogram of rank / raw CPM per "
                + "key-day (log bins, five a power of ten), stacked by volume bucket. Not in it: ")
                .append(ratioNote(s.rankRawRatios())).append(".</p>\n");
        plot(h, "ratio");
        h.append("<h2>4. VPC interval coverage</h2>\n");
        if (truth) {
            h.append("<p>Share of true VPCs inside the rank's ").append(String.format(Locale.ROOT, "%.0f %%",
                    100 * all.vpcCoverage().nominal())).append(" credible interval per bucket, against the nominal "
                    + "level; the dashed lines are the nominal level ± 2 standard errors of the bucket's key-days "
                    + "(a bar outside them misses for real).</p>\n");
            plot(h, "coverage");
        } else {
            h.append("<p>Needs <code>--truth</code> (the long-run VPC is known only for generated data).</p>\n");
        }
        h.append("<h2>Tables</h2>\n<h3>Next day: CPM error in $ per thousand impressions (weighted by D+1 "
                + "impressions), CAL = predicted / realised revenue</h3>\n");
        nextDayTable(h, cells);
        h.append("<h3>Ordering within a context (same key but the ad), NDCG@").append(EvaluateJob.NDCG_K)
                .append(" / top-vs-best, weighted by D+1 impressions</h3>\n<table>\n<tr><th>predictor</th><th>NDCG</th>"
                        + "<th>top vs best</th><th>groups averaged</th><th>groups</th></tr>\n");
        for (int i = 0; i < Prediction.PREDICTORS.size(); i++) {
            Ndcg.Result r = s.ordering(i).result();
            h.append("<tr><td>").append(Prediction.PREDICTORS.get(i)).append("</td>").append(td(EvaluateReport.ratio(
                    r.ndcg()))).append(td(EvaluateReport.ratio(r.topVsBest())))
                    .append(td(EvaluateReport.count(r.averagedGroups()))).append(td(EvaluateReport.count(r.groups())))
                    .append("</tr>\n");
        }
        h.append("</table>\n");
        if (truth) {
            h.append("<h3>Against the truth: CPM error in $ vs the true CPM; VPC_COV = share of true VPCs in the "
                    + "rank's interval</h3>\n");
            truthTable(h, cells);
        }
        if (s.segmentLevel() != null) {
            Map<String, Scorecard.Cell> segments = s.segments();
            h.append("<h3>Next day per segment of ").append(escape(s.segmentLevel())).append(" (the ")
                    .append(Math.min(s.segmentTop(), s.segmentCount())).append(" largest of ")
                    .append(EvaluateReport.count(s.segmentCount())).append(" by D+1 impressions")
                    .append(s.segmentCount() > s.segmentTop() ? ", the rest as one row" : "").append(")</h3>\n");
            nextDayTable(h, segments);
            if (truth) {
                h.append("<h3>Against the truth per segment of ").append(escape(s.segmentLevel())).append("</h3>\n");
                truthTable(h, segments);
            }
        }
        h.append("<p class=\"foot\">Chart.js ").append(escape(ChartLibrary.version()))
                .append(" (MIT licence) is inlined below; the page needs no network.</p>\n");
        String json;
        try {
            json = MAPPER.writeValueAsString(data);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        EvaluateHtml.appendScripts(h, json, PLOTS_JS);
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void plot(StringBuilder h, String id) {
        h.append("<div class=\"plot\"><canvas data-plot=\"").append(id).append("\"></canvas></div>\n");
    }

    private static ObjectNode reliability(String id, String title, String x, String y,
            Function<Integer, Reliability> of, double unit) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("id", id);
        r.put("title", title);
        r.put("x", x);
        r.put("y", y);
        ArrayNode series = r.putArray("series");
        for (int i = 0; i < Prediction.PREDICTORS.size(); i++) {
            ObjectNode one = series.addObject();
            one.put("predictor", Prediction.PREDICTORS.get(i));
            ArrayNode points = one.putArray("points");
            for (Reliability.Group g : of.apply(i).groups(DECILES)) {
                if (g.meanPrediction() == null) {
                    continue;
                }
                ObjectNode p = points.addObject();
                p.put("x", g.meanPrediction() * unit);
                p.put("y", g.realisedRate() * unit);
                p.put("keys", g.keys());
                p.put("weight", g.weight());
                p.put("lower", g.lower() * unit);
                if (Double.isFinite(g.upper())) {
                    p.put("upper", g.upper() * unit);
                }
            }
        }
        return r;
    }

    private static ObjectNode errors(String id, String title, Map<String, Scorecard.Cell> cells,
            Function<Scorecard.Cell, Function<Integer, Double>> of) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("id", id);
        e.put("title", title);
        ArrayNode labels = e.putArray("buckets");
        List<ArrayNode> values = new ArrayList<>();
        ArrayNode series = e.putArray("series");
        for (String p : Prediction.PREDICTORS) {
            ObjectNode one = series.addObject();
            one.put("predictor", p);
            values.add(one.putArray("values"));
        }
        for (Map.Entry<String, Scorecard.Cell> c : cells.entrySet()) {
            labels.add(c.getKey());
            for (int i = 0; i < values.size(); i++) {
                Double micros = of.apply(c.getValue()).apply(i);
                if (micros == null) {
                    values.get(i).addNull();
                } else {
                    values.get(i).add(micros / 1e6);
                }
            }
        }
        return e;
    }

    private static ObjectNode ratios(Map<String, RatioHistogram> byVolume) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("id", "ratio");
        r.put("title", "rank / raw CPM per key-day (log bins)");
        int first = Integer.MAX_VALUE;
        int last = -1;
        for (RatioHistogram h : byVolume.values()) {
            List<RatioHistogram.Bin> bins = h.histogram();
            for (int i = 0; i < bins.size(); i++) {
                if (bins.get(i).keys() > 0) {
                    first = Math.min(first, i);
                    last = Math.max(last, i);
                }
            }
        }
        ArrayNode labels = r.putArray("labels");
        ArrayNode series = r.putArray("series");
        if (last < 0) {
            return r;
        }
        List<RatioHistogram.Bin> edges = byVolume.values().iterator().next().histogram();
        for (int i = first; i <= last; i++) {
            RatioHistogram.Bin b = edges.get(i);
            labels.add(b.lower() == 0 ? "< " + number(b.upper()) : Double.isInfinite(b.upper())
                    ? "≥ " + number(b.lower()) : number(b.lower()) + "–" + number(b.upper()));
        }
        for (String volume : List.of("thin", "medium", "thick")) {
            RatioHistogram h = byVolume.get(volume);
            if (h == null) {
                continue;
            }
            ObjectNode one = series.addObject();
            one.put("volume", volume);
            ArrayNode counts = one.putArray("counts");
            List<RatioHistogram.Bin> bins = h.histogram();
            for (int i = first; i <= last; i++) {
                counts.add(bins.get(i).keys());
            }
        }
        return r;
    }

    private static String ratioNote(Map<String, RatioHistogram> byVolume) {
        long undefined = 0;
        long rawZero = 0;
        long bothZero = 0;
        for (RatioHistogram h : byVolume.values()) {
            undefined += h.undefined();
            rawZero += h.rawZero();
            bothZero += h.bothZero();
        }
        return EvaluateReport.count(undefined) + " key-days without a raw CPM (no impressions as of D: both predict "
                + "the parent's), " + EvaluateReport.count(rawZero) + " with a raw CPM of $0 (infinite ratio) and "
                + EvaluateReport.count(bothZero) + " with both $0";
    }

    private static ObjectNode coverage(Map<String, Scorecard.Cell> cells) {
        ObjectNode c = MAPPER.createObjectNode();
        c.put("id", "coverage");
        c.put("title", "VPC credible interval coverage of the true VPC per bucket (%)");
        ArrayNode labels = c.putArray("buckets");
        ArrayNode share = c.putArray("share");
        ArrayNode lo = c.putArray("lo");
        ArrayNode hi = c.putArray("hi");
        ArrayNode keys = c.putArray("keys");
        double nominal = Double.NaN;
        for (Map.Entry<String, Scorecard.Cell> e : cells.entrySet()) {
            var r = e.getValue().vpcCoverage();
            if (r.keys() == 0) {
                continue;
            }
            nominal = r.nominal();
            labels.add(e.getKey());
            share.add(100 * r.share());
            lo.add(100 * Math.max(0, r.nominal() - 2 * r.standardError()));
            hi.add(100 * Math.min(1, r.nominal() + 2 * r.standardError()));
            keys.add(r.keys());
        }
        c.put("nominal", Double.isNaN(nominal) ? null : 100 * nominal);
        return c;
    }

    private static void nextDayTable(StringBuilder h, Map<String, Scorecard.Cell> cells) {
        h.append("<table>\n<tr><th>bucket</th><th>key-days</th><th>imps D+1</th>");
        for (String p : Prediction.PREDICTORS) {
            h.append("<th>").append(p).append(" MAE $</th><th>RMSE $</th><th>CAL</th>");
        }
        h.append("<th>CTR NE rank/raw/par</th><th>CVR NE rank/raw/par</th></tr>\n");
        for (Map.Entry<String, Scorecard.Cell> e : cells.entrySet()) {
            Scorecard.Cell c = e.getValue();
            h.append("<tr><td>").append(escape(e.getKey())).append("</td>").append(td(EvaluateReport.count(c.keys())))
                    .append(td(EvaluateReport.count(c.nextDay(Prediction.RANK).impressions())));
            for (int i = 0; i < Prediction.PREDICTORS.size(); i++) {
                cpmCells(h, c.nextDay(i));
            }
            h.append(td(EvaluateReport.ratio(c.ctr(0).normalizedEntropy()) + "/"
                    + EvaluateReport.ratio(c.ctr(1).normalizedEntropy()) + "/"
                    + EvaluateReport.ratio(c.ctr(2).normalizedEntropy())));
            h.append(td(EvaluateReport.ratio(c.cvr(0).normalizedEntropy()) + "/"
                    + EvaluateReport.ratio(c.cvr(1).normalizedEntropy()) + "/"
                    + EvaluateReport.ratio(c.cvr(2).normalizedEntropy())));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void truthTable(StringBuilder h, Map<String, Scorecard.Cell> cells) {
        h.append("<table>\n<tr><th>bucket</th><th>key-days</th>");
        for (String p : Prediction.PREDICTORS) {
            h.append("<th>").append(p).append(" MAE $</th><th>RMSE $</th><th>CAL</th>");
        }
        h.append("<th>VPC_COV</th><th>no VPC</th></tr>\n");
        for (Map.Entry<String, Scorecard.Cell> e : cells.entrySet()) {
            Scorecard.Cell c = e.getValue();
            if (c.truthKeys() == 0) {
                continue;
            }
            h.append("<tr><td>").append(escape(e.getKey())).append("</td>")
                    .append(td(EvaluateReport.count(c.truthKeys())));
            for (int i = 0; i < Prediction.PREDICTORS.size(); i++) {
                cpmCells(h, c.truth(i));
            }
            h.append(td(EvaluateReport.ratio(c.vpcCoverage().share())))
                    .append(td(EvaluateReport.count(c.truthKeysWithoutVpc()))).append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void cpmCells(StringBuilder h, CpmErrors.Result r) {
        h.append(td(EvaluateReport.dollars(r.mae()))).append(td(EvaluateReport.dollars(r.rmse())))
                .append(td(EvaluateReport.ratio(r.calibration())));
    }

    private static String td(String text) {
        return "<td class=\"n\">" + escape(text) + "</td>";
    }

    private static String number(double x) {
        return String.format(Locale.ROOT, "%.3g", x);
    }

    /**
     * The end of every report page: the data as a JSON block, the chart library inlined, then the
     * page's own plotting script (which reads the block and sets {@code window.adrankPlots}).
     */
    static void appendScripts(StringBuilder h, String json, String plotsJs) {
        // "<" only occurs inside JSON strings, where \u003c reads the same: no "</script>" can end the block early
        h.append("<script id=\"adrank-data\" type=\"application/json\">").append(json.replace("<", "\\u003c"))
                .append("</script>\n<script>\n").append(ChartLibrary.script()).append("\n</script>\n<script>\n")
                .append(plotsJs).append("</script>\n");
    }

    /** HTML text: {@code & < > "} escaped. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The stylesheet of the report pages (evaluate, compare). */
    static final String CSS = """
            body { font-family: sans-serif; margin: 1.5em; color: #222; max-width: 1200px; }
            h1 { font-size: 1.3em; } h2 { font-size: 1.15em; margin-top: 1.6em; } h3 { font-size: 1em; }
            .plot { position: relative; height: 340px; margin: 0.5em 0 1.5em; }
            table { border-collapse: collapse; font-size: 0.85em; margin-bottom: 1em; }
            th, td { border: 1px solid #ccc; padding: 2px 6px; } th { background: #f3f3f3; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            .foot { color: #777; font-size: 0.8em; }
            """;

    /** Builds every chart from the JSON block; sets window.adrankPlots to the number drawn. */
    private static final String PLOTS_JS = """
            (function () {
              'use strict';
              var data = JSON.parse(document.getElementById('adrank-data').textContent);
              var colors = { rank: '#1f77b4', raw: '#ff7f0e', parent: '#2ca02c',
                             thin: '#9ecae1', medium: '#4292c6', thick: '#08519c' };
              var drawn = 0;
              function canvas(id) { return document.querySelector('canvas[data-plot="' + id + '"]'); }
              function base(title, x, y, logX, logY) {
                return { animation: false, responsive: true, maintainAspectRatio: false,
                  plugins: { title: { display: true, text: title } },
                  scales: { x: { type: logX ? 'logarithmic' : 'linear', title: { display: !!x, text: x } },
                            y: { type: logY ? 'logarithmic' : 'linear', title: { display: !!y, text: y } } } };
              }
              function money(v) { return v == null ? '-' : v.toFixed(v < 1 ? 4 : 2); }
              data.reliability.forEach(function (r) {
                var all = [];
                r.series.forEach(function (s) { s.points.forEach(function (p) { all.push(p.x, p.y); }); });
                var positive = all.length > 0 && all.every(function (v) { return v > 0; });
                var lo = Math.min.apply(null, all), hi = Math.max.apply(null, all);
                var sets = r.series.map(function (s) {
                  return { label: s.predictor, data: s.points, showLine: true, borderColor: colors[s.predictor],
                           backgroundColor: colors[s.predictor], pointRadius: 3 };
                });
                if (all.length > 0) {
                  sets.push({ label: 'calibrated (y = x)', data: [{ x: lo, y: lo }, { x: hi, y: hi }], showLine: true,
                              borderColor: '#999', borderDash: [5, 5], pointRadius: 0 });
                }
                var options = base(r.title, r.x + (positive ? ', log' : ''), r.y + (positive ? ', log' : ''),
                                   positive, positive);
                options.plugins.tooltip = { callbacks: { label: function (c) {
                  var p = c.raw;
                  return c.dataset.label + ': predicted ' + money(p.x) + ', realised ' + money(p.y) +
                         (p.keys != null ? ' (' + p.keys + ' key-days, weight ' + p.weight + ')' : '');
                } } };
                new Chart(canvas(r.id), { type: 'scatter', data: { datasets: sets }, options: options });
                drawn++;
              });
              data.errors.forEach(function (e) {
                var options = base(e.title, 'bucket', '$ per thousand impressions', false, false);
                options.scales.x.type = 'category';
                new Chart(canvas(e.id), { type: 'bar', data: { labels: e.buckets, datasets: e.series.map(function (s) {
                  return { label: s.predictor, data: s.values, backgroundColor: colors[s.predictor] };
                }) }, options: options });
                drawn++;
              });
              var r = data.ratio;
              var ro = base(r.title, 'rank / raw CPM', 'key-days', false, false);
              ro.scales.x.type = 'category';
              ro.scales.x.stacked = true;
              ro.scales.y.stacked = true;
              new Chart(canvas('ratio'), { type: 'bar', data: { labels: r.labels, datasets: r.series.map(function (s) {
                return { label: s.volume, data: s.counts, backgroundColor: colors[s.volume] };
              }) }, options: ro });
              drawn++;
              if (data.coverage) {
                var c = data.coverage;
                var co = base(c.title, 'bucket', '% of key-days covered', false, false);
                co.scales.x.type = 'category';
                co.scales.y.min = 0;
                co.scales.y.max = 100;
                var flat = function (v) { return c.buckets.map(function () { return v; }); };
                new Chart(canvas('coverage'), { type: 'bar', data: { labels: c.buckets, datasets: [
                  { type: 'bar', label: 'coverage', data: c.share, backgroundColor: colors.rank },
                  { type: 'line', label: 'nominal ' + c.nominal + ' %', data: flat(c.nominal), borderColor: '#d62728',
                    pointRadius: 0 },
                  { type: 'line', label: 'nominal - 2 se', data: c.lo, borderColor: '#d62728', borderDash: [4, 4],
                    pointRadius: 0 },
                  { type: 'line', label: 'nominal + 2 se', data: c.hi, borderColor: '#d62728', borderDash: [4, 4],
                    pointRadius: 0 }
                ] }, options: co });
                drawn++;
              }
              window.adrankPlots = drawn;
            })();
            """;
}
