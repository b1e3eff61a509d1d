package adrank.loaders.hive;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * File-system steps around a partition an ETL writes: the {@code _SUCCESS} marker goes first
 * when the partition is replaced and comes last when it is complete, so a reader never takes a
 * half-written hour for a ready one.
 */
public final class PartitionDirs {

    public static final String MARKER = "_SUCCESS";

    private PartitionDirs() {
    }

    /** Removes the marker (the partition is no longer ready). */
    public static void unmark(Configuration conf, String location) {
        Path marker = new Path(location, MARKER);
        try {
            FileSystem fs = marker.getFileSystem(conf);
            fs.delete(marker, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + marker, e);
        }
    }

    /** Deletes the partition directory and everything in it. */
    public static void clear(Configuration conf, String location) {
        Path dir = new Path(location);
        try {
            FileSystem fs = dir.getFileSystem(conf);
            if (fs.exists(dir) && !fs.delete(dir, true)) {
                throw new IOException("delete returned false");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** Creates a directory (and its parents) when missing. */
    public static void mkdirs(Configuration conf, String location) {
        Path dir = new Path(location);
        try {
            dir.getFileSystem(conf).mkdirs(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** Writes the (empty) marker, creating the directory of an empty hour. */
    public static void mark(Configuration conf, String location) {
        Path marker = new Path(location, MARKER);
        try {
            FileSystem fs = marker.getFileSystem(conf);
            fs.mkdirs(marker.getParent());
            fs.create(marker, true).close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker, e);
        }
    }

    /** True when the directory holds a data file (not hidden, not a marker). */
    public static boolean hasDataFiles(Configuration conf, String location) {
        Path dir = new Path(location);
        try {
            FileSystem fs = dir.getFileSystem(conf);
            if (!fs.exists(dir)) {
                return false;
            }
            for (FileStatus status : fs.listStatus(dir)) {
                String name = status.getPath().getName();
                if (status.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
