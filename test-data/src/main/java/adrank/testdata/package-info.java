/**
 * Deterministic generator of realistic hourly ad-event logs ({@code t_raw_events}: gzip TSV in
 * {@code dt=}/{@code hr=} partitions) together with the ground truth they were drawn from, for
 * the {@code rank generate} command, the demo, integration tests and benchmarks.
 *
 * <p>Entry points: {@link adrank.testdata.EventGenerator} with {@link adrank.testdata.GeneratorSettings};
 * {@link adrank.testdata.RawEventLayout} describes files and columns.
 */
package adrank.testdata;
