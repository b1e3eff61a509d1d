package adrank.loaders.presto;

import adrank.loaders.config.PrestoConfig;
import java.io.Serializable;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How to reach Presto over JDBC ({@code com.facebook.presto:presto-jdbc}), serializable so Spark
 * tasks can open their own connections. Connection failures are retried
 * {@code presto.connect-retries} times, {@code presto.retry-wait} apart, then fail with a message
 * naming the URL; query errors fail at once. Every statement is prepared and its values bound.
 *
 * <p>The password (when configured) is read on the driver and travels inside this object to the
 * executors; {@link #toString()} never shows it and nothing here logs it.
 */
public final class PrestoJdbc implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PrestoJdbc.class);

    private final String url;
    private final String user;
    private final boolean ssl;
    private final String password;
    private final int connectRetries;
    private final long retryWaitMillis;
    private final Map<String, String> sessionProperties;

    private PrestoJdbc(String url, String user, boolean ssl, String password, int connectRetries, long retryWaitMillis,
            Map<String, String> sessionProperties) {
        this.url = url;
        this.user = user;
        this.ssl = ssl;
        this.password = password;
        this.connectRetries = connectRetries;
        this.retryWaitMillis = retryWaitMillis;
        this.sessionProperties = new LinkedHashMap<>(sessionProperties);
    }

    /** From config; the password is read now (environment variable or file). */
    public static PrestoJdbc of(PrestoConfig config) {
        Map<String, String> session = new LinkedHashMap<>();
        session.put("query_max_run_time", Math.max(1, config.queryTimeout().toSeconds()) + "s");
        return new PrestoJdbc(config.url(), config.user(), config.ssl(), config.password().orElse(null),
                config.connectRetries(), config.retryWait().toMillis(), session);
    }

    /** The same connection with one more session property (names checked, values plain). */
    public PrestoJdbc withSession(String name, String value) {
        if (!name.matches("[a-z_][a-z0-9_.]*") || !value.matches("[A-Za-z0-9_.]+")) {
            throw new IllegalArgumentException("bad session property " + name + "=" + value);
        }
        Map<String, String> session = new LinkedHashMap<>(sessionProperties);
        session.put(name, value);
        return new PrestoJdbc(url, user, ssl, password, connectRetries, retryWaitMillis, session);
    }

    public String url() {
        return url;
    }

    /** Work done on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /**
     * Opens a connection, runs the work and closes it. A failure to reach the coordinator is
     * retried (the whole work runs again, so it must be repeatable); anything else fails at once.
     *
     * @param what what the work does, for messages ("read hour 2026-11-01 05")
     */
    public <T> T run(String what, Work<T> work) {
        int attempts = connectRetries + 1;
        long started = System.currentTimeMillis();
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = DriverManager.getConnection(url, properties())) {
                return work.run(connection);
            } catch (SQLException | RuntimeException e) {
                boolean unreachable = unreachable(e);
                if (!unreachable) {
                    throw new PrestoException("Presto at " + url + " failed to " + what + ": " + rootMessage(e), false, e);
                }
                if (attempt >= attempts) {
                    throw new PrestoException(String.format("cannot reach Presto at %s (presto.url) to %s after %d "
                            + "attempt(s) in %.1f s (presto.connect-retries = %d, presto.retry-wait = %d ms): %s",
                            url, what, attempts, (System.currentTimeMillis() - started) / 1000.0, connectRetries,
                            retryWaitMillis, rootMessage(e)), true, e);
                }
                LOG.warn("Presto at {} not reachable ({}), attempt {} of {}; retrying in {} ms", url, rootMessage(e),
                        attempt, attempts, retryWaitMillis);
                try {
                    Thread.sleep(retryWaitMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new PrestoException("interrupted while waiting to retry Presto at " + url, true, e);
                }
            }
        }
    }

    /** Runs one statement with bound values; returns the update count (rows written) or -1. */
    public long execute(String what, String sql, Object... params) {
        return run(what, c -> execute(c, sql, params));
    }

    /** Runs one query with bound values and maps every row. */
    public <T> List<T> query(String what, String sql, RowMapper<T> mapper, Object... params) {
        return run(what, c -> query(c, sql, mapper, params));
    }

    /**
     * {@link #execute(String, String, Object...)} on an open connection. A statement without
     * parameters is sent as it is, in the request body; one with parameters is prepared, and the
     * Presto JDBC driver sends a prepared statement's SQL in an HTTP header, which Presto limits to
     * 8 KiB — so the ETL's long validation statements carry their (validated) day and hour as
     * literals and take no parameters.
     */
    public static long execute(Connection connection, String sql, Object... params) throws SQLException {
        LOG.debug("presto: {}", sql);
        if (params.length == 0) {
            try (Statement statement = connection.createStatement()) {
                return rowsOf(statement, statement.execute(sql));
            }
        }
        try (PreparedStatement statement = prepare(connection, sql, params)) {
            return rowsOf(statement, statement.execute());
        }
    }

    private static long rowsOf(Statement statement, boolean hasResultSet) throws SQLException {
        if (hasResultSet) {
            try (ResultSet rs = statement.getResultSet()) {
                long rows = -1;
                if (rs.next()) {
                    rows = rs.getLong(1); // INSERT answers with one row: the rows written
                }
                return rows;
            }
        }
        return statement.getLargeUpdateCount();
    }

    /** {@link #query(String, String, RowMapper, Object...)} on an open connection. */
    public static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        List<T> rows = new ArrayList<>();
        LOG.debug("presto: {}", sql);
        if (params.length == 0) {
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            return rows;
        }
        try (PreparedStatement statement = prepare(connection, sql, params); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.add(mapper.map(rs));
            }
        }
        return rows;
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof String s) {
                statement.setString(i + 1, s);
            } else if (p instanceof Integer n) {
                statement.setInt(i + 1, n);
            } else if (p instanceof Long n) {
                statement.setLong(i + 1, n);
            } else {
                statement.close();
                throw new IllegalArgumentException("unsupported parameter type " + p);
            }
        }
        return statement;
    }

    private Properties properties() {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (ssl) {
            properties.setProperty("SSL", "true");
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        // UTC: date_parse must not see daylight-saving gaps (the raw timestamps are zone-less)
        properties.setProperty("timeZoneId", "UTC");
        StringBuilder session = new StringBuilder();
        sessionProperties.forEach((k, v) -> session.append(session.length() == 0 ? "" : ";").append(k).append(':').append(v));
        if (session.length() > 0) {
            properties.setProperty("sessionProperties", session.toString());
        }
        return properties;
    }

    /** True when the failure is about reaching the coordinator (or it is still starting), not the query. */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException) {
                return true;
            }
            String message = String.valueOf(t.getMessage());
            if (message.contains("Connection refused") || message.contains("still initializing")
                    || message.contains("SERVER_STARTING_UP") || message.contains("Failed to connect")
                    || message.contains("failed to connect") || message.contains("Connection reset")) {
                return true;
            }
            // a coordinator that is up but has no active worker for the catalog yet (just started, or its
            // workers are re-announcing): nothing ran, the same work can run again a moment later
            if (message.contains("sortedCandidates is null or empty") || message.contains("No nodes available")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The message of the innermost cause that has one, with the outer message when they differ. */
    static String rootMessage(Throwable e) {
        String outer = e.getMessage();
        String inner = null;
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null) {
                inner = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        if (inner == null || (outer != null && outer.contains(inner))) {
            return String.valueOf(outer);
        }
        return outer + " (" + inner + ")";
    }

    @Override
    public String toString() {
        return "PrestoJdbc[" + url + ", user " + user + (password == null ? "" : ", password set") + "]";
    }
}
