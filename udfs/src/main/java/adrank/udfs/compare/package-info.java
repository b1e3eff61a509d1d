/**
 * The math of {@code rank compare}: two sides (snapshot versions or stored rows) of the same keys
 * compared by their ranks. {@link adrank.udfs.compare.RankRatios} is the distribution of the rank
 * ratio B/A (log-binned, with exact quantiles while the keys fit a bounded buffer), with keys whose
 * rank is missing or 0 on a side counted apart; {@link adrank.udfs.compare.TopK} a bounded
 * selection of the largest scores; {@link adrank.udfs.compare.Movers} the top movers of the top
 * segments in bounded memory (segments x K). No I/O; faulty values (negative, NaN, infinite) raise
 * {@link adrank.udfs.rank.InvalidInputException}.
 */
package adrank.udfs.compare;
