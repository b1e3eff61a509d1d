package adrank.udfs.spark;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.channels.ClosedByInterruptException;
import java.util.Iterator;
import java.util.function.Function;

/**
 * A read error of one input file (a truncated gzip, a checksum error), naming the file.
 *
 * <p>Spark names the file only when it fails to open it ("Encountered error while reading file
 * ..."); an error further in, such as {@code java.io.EOFException: Unexpected end of input stream}
 * at the end of a cut gzip stream, reaches the task without it. {@link #naming} wraps a partition's
 * input rows so that such an error says which file it came from: the file of the last row read,
 * which is the file being read (Spark opens the next file of a partition only after the last row
 * of the previous one, and an error while opening it already names it).
 */
public final class InputFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;

    public InputFileException(String file, Throwable cause) {
        super("cannot read " + file + ": " + cause, cause);
        this.file = file;
    }

    /** The file, as Spark's {@code input_file_name()} gives it (a URI). */
    public String file() {
        return file;
    }

    /**
     * The rows of {@code rows}; an I/O error while reading them (checked, which Spark throws
     * undeclared) is rethrown as an {@link InputFileException} naming the file of the last row read,
     * unless its messages name that file already or no row was read yet. Anything else (a killed
     * task, an interruption) passes through unchanged.
     *
     * @param fileOf the file of a row (its {@code input_file_name()} column)
     */
    public static <T> Iterator<T> naming(Iterator<T> rows, Function<T, String> fileOf) {
        return new Iterator<>() {
            private String file;

            @Override
            public boolean hasNext() {
                try {
                    return rows.hasNext();
                } catch (Exception e) {
                    throw named(e);
                }
            }

            @Override
            public T next() {
                T row;
                try {
                    row = rows.next();
                } catch (Exception e) {
                    throw named(e);
                }
                file = fileOf.apply(row);
                return row;
            }

            private RuntimeException named(Exception e) {
                if (file == null || file.isEmpty() || !readError(e) || mentions(e, file)) {
                    return sneaky(e);
                }
                return new InputFileException(file, e);
            }
        };
    }

    /**
     * Whether {@code e} is an I/O error of the input (an {@link IOException} in its chain), not an
     * interruption (a killed task) nor an error of ours.
     */
    private static boolean readError(Throwable e) {
        if (e instanceof InputFileException || Thread.currentThread().isInterrupted()) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedIOException || t instanceof ClosedByInterruptException) {
                return false;
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** Whether a message of the chain names the file (as a URI or as its path). */
    private static boolean mentions(Throwable e, String file) {
        String path;
        try {
            path = URI.create(file).getPath();
        } catch (IllegalArgumentException notAUri) {
            path = file;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains(file) || (path != null && message.contains(path)))) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> RuntimeException sneaky(Exception e) throws E {
        throw (E) e;
    }
}
