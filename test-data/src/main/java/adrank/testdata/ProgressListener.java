package adrank.testdata;

/** Told about each hour once its files and its {@code _SUCCESS} marker are written. */
@FunctionalInterface
public interface ProgressListener {

    /** Called on the generating thread, in chronological order. */
    void hourFinished(HourSummary hour);
}
