package adrank.udfs.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class InputFileExceptionTest {

    private static final String A = "file:///data/t_raw_events/dt=2026-04-01/hr=06/adserver-01.tsv.gz";
    private static final String B = "file:///data/t_raw_events/dt=2026-04-01/hr=06/adserver-02.tsv.gz";

    /** Rows "file|line", then the failure thrown the way Spark does: a checked exception, undeclared. */
    private static Iterator<String> failingAfter(List<String> rows, Exception failure) {
        Iterator<String> it = rows.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (!it.hasNext()) {
                    throw InputFileExceptionTest.<RuntimeException>sneaky(failure);
                }
                return true;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return it.next();
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> E sneaky(Exception e) throws E {
        throw (E) e;
    }

    private static void drain(Iterator<String> rows) {
        while (rows.hasNext()) {
            rows.next();
        }
    }

    private static Iterator<String> named(Iterator<String> rows) {
        return InputFileException.naming(rows, row -> row.substring(0, row.indexOf('|')));
    }

    @Test
    void aReadErrorInsideAFileNamesTheFileOfTheLastRow() {
        EOFException eof = new EOFException("Unexpected end of input stream");
        Iterator<String> rows = named(failingAfter(List.of(A + "|1", B + "|1", B + "|2"), eof));
        assertThatThrownBy(() -> drain(rows))
                .isInstanceOf(InputFileException.class)
                .hasMessage("cannot read " + B + ": java.io.EOFException: Unexpected end of input stream")
                .hasCause(eof)
                .satisfies(e -> assertThat(((InputFileException) e).file()).isEqualTo(B));
    }

    @Test
    void errorsThatNameTheFileAlreadyOrAreNoReadErrorsPassUnchanged() {
        // Spark's own wrapper of an error while opening a file names it (here by its path)
        IOException named = new IOException("Checksum error: file:/data/t_raw_events/dt=2026-04-01/hr=06/adserver-01.tsv.gz at 0");
        assertThatThrownBy(() -> drain(named(failingAfter(List.of(A + "|1"), named)))).isSameAs(named);
        // before the first row no file is known
        EOFException first = new EOFException("Unexpected end of input stream");
        assertThatThrownBy(() -> drain(named(failingAfter(List.of(), first)))).isSameAs(first);
        // not an I/O error, or an interruption (a killed task): unchanged
        IllegalStateException bug = new IllegalStateException("bug");
        assertThatThrownBy(() -> drain(named(failingAfter(List.of(A + "|1"), bug)))).isSameAs(bug);
        InterruptedIOException interrupted = new InterruptedIOException("interrupted");
        assertThatThrownBy(() -> drain(named(failingAfter(List.of(A + "|1"), interrupted)))).isSameAs(interrupted);
    }
}
