package adrank.jobs.pipeline;

import adrank.loaders.report.ChartLibrary;
import adrank.udfs.compare.Movers;
import adrank.udfs.compare.RankRatios;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code rank compare --html}: one self-contained page (Chart.js inlined from its WebJar, the data as
 * JSON in the page; no request leaves it), ranks as CPM in dollars. Plots, each a
 * {@code <canvas data-plot="...">}:
 * <ol>
 *   <li>{@code ratio-histogram}: keys per bin of B/A (5 bins a power of ten);</li>
 *   <li>{@code ratio-quantiles}: the percentiles 1..99 of B/A on a log axis (the quantile function);</li>
 *   <li>{@code scatter}: rank B against rank A of a uniform sample of keys (log-log, with y = x);</li>
 *   <li>{@code movers-1} ... {@code movers-N}: per reported segment, its top movers as bars of the change
 *       of the rank in percent.</li>
 * </ol>
 */
public final class CompareHtml {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CompareHtml() {
    }

    /** The plot ids of a page, in page order. */
    public static List<String> plots(Compare.Outcome o) {
        List<String> ids = new ArrayList<>(List.of("ratio-histogram", "ratio-quantiles", "scatter"));
        for (int i = 1; i <= o.segments().size(); i++) {
            ids.add("movers-" + i);
        }
        return ids;
    }

    /** The page. */
    public static String page(Compare.Outcome o) {
        RankRatios r = o.ratios();
        ObjectNode data = MAPPER.createObjectNode();
        ObjectNode histogram = data.putObject("histogram");
        ArrayNode labels = histogram.putArray("labels");
        ArrayNode counts = histogram.putArray("counts");
        for (RankRatios.Bin b : CompareReport.nonEmptyRange(r.histogram())) {
            labels.add(CompareReport.label(b));
            counts.add(b.keys());
        }
        ArrayNode quantiles = data.putArray("quantiles");
        if (r.ratios() > 0) {
            for (int p = 1; p <= 99; p++) {
                quantiles.addObject().put("x", p).put("y", r.quantile(p / 100.0));
            }
        }
        ArrayNode scatter = data.putArray("scatter");
        for (Compare.Point p : o.sample()) {
            scatter.addObject().put("x", p.rankA() / 1e6).put("y", p.rankB() / 1e6).put("key", p.key());
        }
        ArrayNode segments = data.putArray("segments");
        int i = 0;
        for (Movers.Segment s : o.segments()) {
            ObjectNode seg = segments.addObject().put("id", "movers-" + (++i)).put("title", s.segment()
                    + ": top movers (change of the rank, %)");
            ArrayNode keys = seg.putArray("keys");
            ArrayNode change = seg.putArray("change");
            ArrayNode detail = seg.putArray("detail");
            for (Movers.Mover m : s.movers()) {
                keys.add(m.key());
                change.add(100 * (m.ratio() - 1));
                detail.add(String.format(Locale.ROOT, "$%.4f -> $%.4f, %,.0f impressions, score %.1f", m.rankA() / 1e6,
                        m.rankB() / 1e6, m.impressions(), m.score()));
            }
        }
        StringBuilder h = new StringBuilder(300_000);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>rank compare: ")
                .append(EvaluateHtml.escape(o.sideA())).append(" vs ").append(EvaluateHtml.escape(o.sideB()))
                .append("</title>\n<style>\n").append(EvaluateHtml.CSS).append("</style>\n</head>\n<body>\n");
        h.append("<h1>rank compare: A = ").append(EvaluateHtml.escape(o.sideA())).append(", B = ")
                .append(EvaluateHtml.escape(o.sideB())).append("</h1>\n");
        h.append("<table>\n<tr><th></th><th>keys</th><th>impressions</th></tr>\n");
        row(h, "A", count(o.keysA()), "");
        row(h, "B", count(o.keysB()), "");
        row(h, "in both", count(o.both()), "");
        row(h, "only in A", count(o.onlyInA()), count(o.onlyInAImpressions()));
        row(h, "only in B", count(o.onlyInB()), o.onlyInBImpressions() == null ? "-" : count(o.onlyInBImpressions()));
        row(h, "identical", count(o.identical()), "");
        row(h, "different", count(o.different()), "");
        row(h, "rank changed", count(o.rankChanged()), "");
        h.append("</table>\n<p>Identical means: ").append(EvaluateHtml.escape(o.identity()))
                .append(". Ranks are CPM in dollars (per thousand impressions); impressions are total-to-limit + today."
                        + "</p>\n");
        h.append("<h2>1. Rank ratio B/A</h2>\n<p>").append(count(r.ratios()))
                .append(" keys with a positive rank on both sides: up ").append(count(r.up())).append(", down ")
                .append(count(r.down())).append(", equal ").append(count(r.equal())).append("; geometric mean ")
                .append(CompareReport.ratio(r.geometricMean())).append("; ")
                .append(r.exact() ? "exact quantiles" : "quantiles from log bins (within 4.7 %)")
                .append(". Counted apart: no rank on A ").append(count(r.noRankA())).append(", on B ")
                .append(count(r.noRankB())).append(", on both ").append(count(r.noRankBoth())).append("; rank 0 on A ")
                .append(count(r.zeroA())).append(", on B ").append(count(r.zeroB())).append(", on both ")
                .append(count(r.bothZero())).append(".</p>\n<table>\n<tr>");
        for (double p : CompareReport.QUANTILES) {
            h.append("<th>p").append(String.format(Locale.ROOT, "%.0f", 100 * p)).append("</th>");
        }
        h.append("</tr>\n<tr>");
        for (double p : CompareReport.QUANTILES) {
            h.append("<td class=\"n\">").append(CompareReport.ratio(r.ratios() == 0 ? null : r.quantile(p)))
                    .append("</td>");
        }
        h.append("</tr>\n</table>\n");
        plot(h, "ratio-histogram");
        plot(h, "ratio-quantiles");
        h.append("<h2>2. Rank B against rank A</h2>\n<p>A uniform sample of ").append(count(o.sample().size()))
                .append(" keys (those with the smallest key hash), log-log; on the dashed line nothing changed.</p>\n");
        plot(h, "scatter");
        h.append("<h2>3. Top movers ").append(EvaluateHtml.escape(CompareReport.segmentsTitle(o))).append("</h2>\n")
                .append("<p>Score = |ln(B/A)| x the mean impressions of A and B: large moves of keys that serve "
                        + "many impressions first.</p>\n");
        for (Movers.Segment s : o.segments()) {
            h.append("<h3>").append(EvaluateHtml.escape(s.segment())).append("</h3>\n<p>")
                    .append(count(s.keys())).append(" keys in both; impressions A ").append(count(s.impressionsA()))
                    .append(", B ").append(count(s.impressionsB())).append("; revenue A $")
                    .append(String.format(Locale.ROOT, "%,.2f", s.revenueA() / 1e6)).append(", B $")
                    .append(String.format(Locale.ROOT, "%,.2f", s.revenueB() / 1e6)).append("</p>\n");
            plot(h, "movers-" + (o.segments().indexOf(s) + 1));
            h.append("<table>\n<tr><th>key</th><th>impressions</th><th>rank A $</th><th>rank B $</th><th>B/A</th>"
                    + "<th>score</th></tr>\n");
            for (Movers.Mover m : s.movers()) {
                h.append("<tr><td>").append(EvaluateHtml.escape(m.key())).append("</td>")
                        .append(td(String.format(Locale.ROOT, "%,.0f", m.impressions())))
                        .append(td(String.format(Locale.ROOT, "%.4f", m.rankA() / 1e6)))
                        .append(td(String.format(Locale.ROOT, "%.4f", m.rankB() / 1e6)))
                        .append(td(CompareReport.ratio(m.ratio())))
                        .append(td(String.format(Locale.ROOT, "%.1f", m.score()))).append("</tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<p class=\"foot\">Chart.js ").append(EvaluateHtml.escape(ChartLibrary.version()))
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

    private static void row(StringBuilder h, String label, String keys, String imps) {
        h.append("<tr><td>").append(label).append("</td>").append(td(keys)).append(td(imps)).append("</tr>\n");
    }

    private static void plot(StringBuilder h, String id) {
        h.append("<div class=\"plot\"><canvas data-plot=\"").append(id).append("\"></canvas></div>\n");
    }

    private static String td(String text) {
        return "<td class=\"n\">" + EvaluateHtml.escape(text) + "</td>";
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Builds every chart from the JSON block; sets window.adrankPlots to the number drawn. */
    private static final String PLOTS_JS = """
            (function () {
              'use strict';
              var data = JSON.parse(document.getElementById('adrank-data').textContent);
              var drawn = 0;
              function canvas(id) { return document.querySelector('canvas[data-plot="' + id + '"]'); }
              function base(title, x, y, xType, yType) {
                return { animation: false, responsive: true, maintainAspectRatio: false,
                  plugins: { title: { display: true, text: title } },
                  scales: { x: { type: xType, title: { display: true, text: x } },
                            y: { type: yType, title: { display: true, text: y } } } };
              }
              var h = data.histogram;
              new Chart(canvas('ratio-histogram'), { type: 'bar', data: { labels: h.labels, datasets: [
                { label: 'keys', data: h.counts, backgroundColor: '#1f77b4' }] },
                options: base('keys per bin of rank B / rank A', 'B / A', 'keys', 'category', 'linear') });
              drawn++;
              var q = base('quantile function of B / A', 'percentile', 'B / A (log)', 'linear', 'logarithmic');
              new Chart(canvas('ratio-quantiles'), { type: 'scatter', data: { datasets: [
                { label: 'B / A', data: data.quantiles, showLine: true, borderColor: '#ff7f0e',
                  backgroundColor: '#ff7f0e', pointRadius: 2 }] }, options: q });
              drawn++;
              var pts = data.scatter, lo = Infinity, hi = 0;
              pts.forEach(function (p) { lo = Math.min(lo, p.x, p.y); hi = Math.max(hi, p.x, p.y); });
              var sets = [{ label: 'keys', data: pts, backgroundColor: 'rgba(31,119,180,0.5)', pointRadius: 2 }];
              if (pts.length > 0) {
                sets.push({ label: 'unchanged (B = A)', data: [{ x: lo, y: lo }, { x: hi, y: hi }], showLine: true,
                            borderColor: '#999', borderDash: [5, 5], pointRadius: 0 });
              }
              var so = base('rank B vs rank A (CPM $)', 'rank A ($, log)', 'rank B ($, log)', 'logarithmic', 'logarithmic');
              so.plugins.tooltip = { callbacks: { label: function (c) {
                var p = c.raw; return (p.key || '') + ': A $' + p.x.toFixed(4) + ', B $' + p.y.toFixed(4);
              } } };
              new Chart(canvas('scatter'), { type: 'scatter', data: { datasets: sets }, options: so });
              drawn++;
              data.segments.forEach(function (s) {
                var o = base(s.title, 'change of the rank (%)', '', 'linear', 'category');
                o.indexAxis = 'y';
                o.plugins.tooltip = { callbacks: { afterLabel: function (c) { return s.detail[c.dataIndex]; } } };
                new Chart(canvas(s.id), { type: 'bar', data: { labels: s.keys, datasets: [{ label: 'change %',
                  data: s.change, backgroundColor: s.change.map(function (v) { return v >= 0 ? '#2ca02c' : '#d62728'; })
                }] }, options: o });
                drawn++;
              });
              window.adrankPlots = drawn;
            })();
            """;
}
