package adrank.jobs.pipeline;

import adrank.loaders.report.ChartLibrary;
import adrank.udfs.experiment.ArmSums;
import adrank.udfs.experiment.Interval;
import adrank.udfs.experiment.Metric;
import adrank.udfs.experiment.Readout;
import adrank.udfs.stats.HourId;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The A/B readout as people read it: a console table (money in dollars), one JSON document, and a
 * self-contained HTML page (Chart.js inlined, works offline) with the cumulative CPM lift and its
 * intervals over the hours and each arm's cumulative CPM.
 */
public final class AbtestReport {

    /** The plots of the page, in order. */
    public static final java.util.List<String> PLOTS = java.util.List.of("lift", "cpm");

    private static final ObjectMapper JSON = new ObjectMapper();

    private AbtestReport() {
    }

    /** The console table. */
    public static void table(AbtestJob.Outcome o, PrintStream out) {
        Readout r = o.overall();
        AbtestJob.Request q = o.request();
        out.printf(Locale.ROOT, "experiment %s, %d hour(s) %s .. %s%s%n", q.experiment(), o.hours().size(),
                o.hours().get(0), o.hours().get(o.hours().size() - 1),
                o.missing().isEmpty() ? "" : " (" + o.missing().size() + " missing, skipped)");
        out.printf(Locale.ROOT, "%-4s %10s %12s %10s %10s %14s %14s%n", "arm", "units", "impressions", "clicks",
                "convs", "revenue $", "value $");
        arm(out, "A", r.a());
        arm(out, "B", r.b());
        int pct = (int) Math.round(q.confidence() * 100);
        out.printf(Locale.ROOT, "%-6s %-28s %-28s %-24s %-24s%n", "metric", "A [" + pct + " %]", "B [" + pct + " %]",
                "lift B/A [" + pct + " %]", "lift, sequential");
        for (Metric m : Metric.values()) {
            Readout.MetricReadout mr = r.metrics().get(m);
            out.printf(Locale.ROOT, "%-6s %-28s %-28s %-24s %-24s%n", m.code(), value(mr.armA(), m), value(mr.armB(), m),
                    percent(mr.lift()), percent(mr.liftSequential()));
        }
        out.printf(Locale.ROOT, "SRM: units A %,d / B %,d against a B share of %.3f: chi2 %.3f, p %.4g -> %s%n",
                r.srm().unitsA(), r.srm().unitsB(), r.srm().bShare(), r.srm().chiSquare(), r.srm().p(),
                r.srm().mismatch() ? "MISMATCH (p < " + q.srmThreshold() + "): do not trust the lift" : "ok");
        if (o.unitsInBothArms() > 0) {
            out.printf(Locale.ROOT, "warning: %,d unit(s) logged in both arms%n", o.unitsInBothArms());
        }
        out.printf(Locale.ROOT, "rows read %,d; left out %s; variants %s%n", o.rowsIn(), o.left(), o.variants());
    }

    private static void arm(PrintStream out, String name, ArmSums s) {
        out.printf(Locale.ROOT, "%-4s %,10d %,12d %,10d %,10d %,14.2f %,14.2f%n", name, s.units(), s.imps(), s.clicks(),
                s.convs(), s.rev() / 1e6, s.val() / 1e6);
    }

    static String value(Interval i, Metric m) {
        double k = m.displayScale();
        boolean money = m == Metric.CPM || m == Metric.VPC;
        String f = money ? "$%.4f" : "%.5f";
        if (!Double.isFinite(i.lo())) {
            return String.format(Locale.ROOT, f + " [-]", i.estimate() * k);
        }
        return String.format(Locale.ROOT, f + " [" + f + ", " + f + "]", i.estimate() * k, i.lo() * k, i.hi() * k)
                .replace("$-", "-$");
    }

    static String percent(Interval i) {
        if (!Double.isFinite(i.estimate())) {
            return "-";
        }
        if (!Double.isFinite(i.lo())) {
            return String.format(Locale.ROOT, "%+.2f %% [-]", i.estimate() * 100);
        }
        return String.format(Locale.ROOT, "%+.2f %% [%+.2f, %+.2f]", i.estimate() * 100, i.lo() * 100, i.hi() * 100);
    }

    /** The readout as one JSON document (money in micros and dollars, lifts as fractions). */
    public static ObjectNode json(AbtestJob.Outcome o) {
        AbtestJob.Request q = o.request();
        Readout r = o.overall();
        ObjectNode root = JSON.createObjectNode();
        root.put("experiment", q.experiment());
        root.put("from", o.hours().get(0).id());
        root.put("to", o.hours().get(o.hours().size() - 1).id());
        root.put("hours", o.hours().size());
        ArrayNode missing = root.putArray("missing_hours");
        o.missing().forEach(h -> missing.add(h.id()));
        root.put("confidence", q.confidence());
        root.put("sequential_tuning", q.tuning());
        ObjectNode arms = root.putObject("arms");
        armJson(arms.putObject("A"), r.a());
        armJson(arms.putObject("B"), r.b());
        ObjectNode metrics = root.putObject("metrics");
        for (Metric m : Metric.values()) {
            Readout.MetricReadout mr = r.metrics().get(m);
            ObjectNode n = metrics.putObject(m.code());
            n.put("display_scale", m.displayScale());
            interval(n.putObject("A"), mr.armA(), m.displayScale());
            interval(n.putObject("B"), mr.armB(), m.displayScale());
            interval(n.putObject("lift"), mr.lift(), 1);
            interval(n.putObject("lift_sequential"), mr.liftSequential(), 1);
        }
        ObjectNode srm = root.putObject("srm");
        srm.put("units_a", r.srm().unitsA());
        srm.put("units_b", r.srm().unitsB());
        srm.put("b_share", r.srm().bShare());
        number(srm, "chi_square", r.srm().chiSquare());
        number(srm, "p", r.srm().p());
        srm.put("threshold", q.srmThreshold());
        srm.put("mismatch", r.srm().mismatch());
        root.put("units_in_both_arms", o.unitsInBothArms());
        root.put("rows_in", o.rowsIn());
        ObjectNode left = root.putObject("rows_left_out");
        o.left().forEach(left::put);
        ObjectNode variants = root.putObject("variants");
        o.variants().forEach(variants::put);
        ArrayNode series = root.putArray("cumulative");
        for (Map.Entry<HourId, Readout> e : o.cumulative().entrySet()) {
            Readout c = e.getValue();
            Readout.MetricReadout cpm = c.metrics().get(Metric.CPM);
            ObjectNode p = series.addObject();
            p.put("hour", e.getKey().id());
            p.put("units_a", c.a().units());
            p.put("units_b", c.b().units());
            number(p, "cpm_a", cpm.armA().estimate() * Metric.CPM.displayScale());
            number(p, "cpm_b", cpm.armB().estimate() * Metric.CPM.displayScale());
            interval(p.putObject("cpm_lift"), cpm.lift(), 1);
            interval(p.putObject("cpm_lift_sequential"), cpm.liftSequential(), 1);
            number(p, "srm_p", c.srm().p());
        }
        root.put("elapsed_ms", o.elapsed().toMillis());
        return root;
    }

    private static void armJson(ObjectNode n, ArmSums s) {
        n.put("units", s.units());
        n.put("impressions", s.imps());
        n.put("clicks", s.clicks());
        n.put("conversions", s.convs());
        n.put("revenue_micros", s.rev());
        n.put("revenue", s.rev() / 1e6);
        n.put("value_micros", s.val());
        n.put("value", s.val() / 1e6);
    }

    private static void interval(ObjectNode n, Interval i, double scale) {
        number(n, "estimate", i.estimate() * scale);
        number(n, "lo", i.lo() * scale);
        number(n, "hi", i.hi() * scale);
    }

    /** NaN and infinities as JSON null. */
    private static void number(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        } else {
            n.putNull(field);
        }
    }

    /** The page: the readout's JSON embedded, the console table, the two plots. */
    public static String page(AbtestJob.Outcome o) {
        ObjectNode data = json(o);
        java.io.ByteArrayOutputStream table = new java.io.ByteArrayOutputStream();
        table(o, new PrintStream(table, true, java.nio.charset.StandardCharsets.UTF_8));
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>A/B readout ")
                .append(EvaluateHtml.escape(o.request().experiment())).append("</title>\n<style>body{font-family:sans-serif;margin:"
                        + "1.5em;max-width:1100px}pre{background:#f6f6f6;padding:1em;overflow-x:auto}.plot{height:380px;"
                        + "margin:1em 0}.srm{font-weight:bold}.bad{color:#b00}</style></head><body>\n");
        h.append("<h1>A/B readout: ").append(EvaluateHtml.escape(o.request().experiment())).append("</h1>\n");
        boolean srm = o.overall().srm().mismatch();
        h.append("<p class=\"srm").append(srm ? " bad" : "").append("\">Sample ratio: ")
                .append(srm ? "MISMATCH, the lift is not to be trusted" : "ok").append("</p>\n");
        h.append("<pre>").append(EvaluateHtml.escape(table.toString(java.nio.charset.StandardCharsets.UTF_8))).append("</pre>\n");
        h.append("<h2>Cumulative CPM lift of B over A</h2>\n<div class=\"plot\"><canvas data-plot=\"lift\"></canvas></div>\n");
        h.append("<p>Fixed-horizon interval (valid for one look at the planned end) and the sequential interval "
                + "(valid at every look).</p>\n");
        h.append("<h2>Cumulative CPM per arm ($)</h2>\n<div class=\"plot\"><canvas data-plot=\"cpm\"></canvas></div>\n");
        h.append("<p class=\"foot\">Chart.js ").append(EvaluateHtml.escape(ChartLibrary.version())).append("</p>\n");
        EvaluateHtml.appendScripts(h, data.toString(), SCRIPT);
        h.append("</body></html>\n");
        return h.toString();
    }

    private static final String SCRIPT = """
            (function () {
              var data = JSON.parse(document.getElementById('adrank-data').textContent);
              function canvas(id) { return document.querySelector('canvas[data-plot="' + id + '"]'); }
              var hours = data.cumulative.map(function (p) { return p.hour; });
              function pct(p, k, f) { var v = p[k][f]; return v == null ? null : v * 100; }
              var opts = function (y) {
                return { animation: false, maintainAspectRatio: false, responsive: true,
                  scales: { x: { title: { display: true, text: 'hour (yyyyMMddHH)' } }, y: { title: { display: true, text: y } } } };
              };
              new Chart(canvas('lift'), { type: 'line', data: { labels: hours, datasets: [
                { label: 'lift %', data: data.cumulative.map(function (p) { return pct(p, 'cpm_lift', 'estimate'); }),
                  borderColor: '#1f77b4', borderWidth: 2 },
                { label: 'fixed interval lo', data: data.cumulative.map(function (p) { return pct(p, 'cpm_lift', 'lo'); }),
                  borderColor: '#9ecae1', borderDash: [4, 3] },
                { label: 'fixed interval hi', data: data.cumulative.map(function (p) { return pct(p, 'cpm_lift', 'hi'); }),
                  borderColor: '#9ecae1', borderDash: [4, 3] },
                { label: 'sequential lo', data: data.cumulative.map(function (p) { return pct(p, 'cpm_lift_sequential', 'lo'); }),
                  borderColor: '#fdae6b', borderDash: [2, 2] },
                { label: 'sequential hi', data: data.cumulative.map(function (p) { return pct(p, 'cpm_lift_sequential', 'hi'); }),
                  borderColor: '#fdae6b', borderDash: [2, 2] },
                { label: 'zero', data: hours.map(function () { return 0; }), borderColor: '#888', pointRadius: 0 }
              ] }, options: opts('lift of CPM, %') });
              new Chart(canvas('cpm'), { type: 'line', data: { labels: hours, datasets: [
                { label: 'A', data: data.cumulative.map(function (p) { return p.cpm_a; }), borderColor: '#2ca02c' },
                { label: 'B', data: data.cumulative.map(function (p) { return p.cpm_b; }), borderColor: '#d62728' }
              ] }, options: opts('CPM $') });
              window.adrankPlots = document.querySelectorAll('canvas[data-plot]').length;
            })();
            """;
}
