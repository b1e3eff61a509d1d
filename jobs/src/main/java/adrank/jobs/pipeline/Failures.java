package adrank.jobs.pipeline;

import adrank.loaders.config.ConfigError;
import adrank.loaders.config.HBaseConfig;
import adrank.loaders.hbase.HBaseUnreachable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.spark.SparkException;

/**
 * Says in one line why something failed, from an exception chain that Spark may have wrapped: a
 * task's failure reaches the driver as a checked {@link SparkException} "Job aborted due to stage
 * failure: ... Lost task ..." (many lines, the executor's stack trace included) whose cause is the
 * task's exception. The line is the first message of the chain that says something beyond its
 * cause (e.g. "cannot read file:///.../adserver-01.tsv.gz", "Encountered error while reading file
 * ...") followed by the root cause ({@code java.io.EOFException: Unexpected end of input stream}),
 * unless that message already contains it. The stack trace belongs in the log.
 */
public final class Failures {

    private Failures() {
    }

    /**
     * {@link #describe(Throwable)}, led by what is unreachable when HBase did not answer
     * ({@link HBaseUnreachable}): {@code HBase unreachable (ZooKeeper 127.0.0.1:21810,
     * hbase.unreachable-timeout = 60s): <cause>}.
     */
    public static String describe(Throwable e, HBaseConfig hbase) {
        if (hbase == null || e instanceof RunFailedException || e instanceof ConfigError || !HBaseUnreachable.in(e)) {
            return describe(e);
        }
        return HBaseUnreachable.describe(hbase) + ": " + describe(e);
    }

    public static String describe(Throwable e) {
        if (e instanceof RunFailedException || e instanceof ConfigError) {
            return String.valueOf(e.getMessage());
        }
        List<Throwable> chain = chain(e);
        Throwable root = chain.get(chain.size() - 1);
        String rootText = firstLine(ownWords(root) ? root.getMessage() : root.toString());
        for (Throwable t : chain) {
            if (t == root) {
                break;
            }
            if (wrapper(t)) {
                continue;
            }
            String context = clean(firstLine(t.getMessage()));
            String rootMessage = root.getMessage() == null ? null : firstLine(root.getMessage());
            if (context.contains(rootText) || (rootMessage != null && !rootMessage.isBlank()
                    && context.contains(rootMessage))) {
                return context;
            }
            return context + ": " + rootText;
        }
        return rootText;
    }

    /** The exception and its causes, outermost first (each once). */
    static List<Throwable> chain(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /**
     * Whether the exception's message is written for people, so its class adds nothing: adrank's own
     * and the argument/state checks; a library's {@code java.io.EOFException} keeps its class name.
     */
    private static boolean ownWords(Throwable t) {
        String message = t.getMessage();
        return message != null && !message.isBlank() && (t.getClass().getName().startsWith("adrank.")
                || t.getClass() == IllegalStateException.class || t.getClass() == IllegalArgumentException.class);
    }

    /** An exception that only carries its cause: nothing of its own to say. */
    private static boolean wrapper(Throwable t) {
        Throwable cause = t.getCause();
        if (cause == null) {
            return false;
        }
        String message = t.getMessage();
        return message == null || message.isBlank() || message.equals(cause.toString())
                || t instanceof ExecutionException || t instanceof CompletionException
                || t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException
                || (t instanceof SparkException && message.startsWith("Job aborted due to stage failure"));
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }

    /** Spark's "Encountered error while reading file F. Details:" without the dangling "Details:". */
    private static String clean(String message) {
        String m = message;
        if (m.endsWith("Details:")) {
            m = m.substring(0, m.length() - "Details:".length()).strip();
        }
        while (m.endsWith(".") || m.endsWith(":")) {
            m = m.substring(0, m.length() - 1);
        }
        return m;
    }
}
