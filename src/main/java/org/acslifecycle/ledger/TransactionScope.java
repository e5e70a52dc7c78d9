package org.acslifecycle.ledger;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Lets a library that takes a {@link DataSource} (db-scheduler) join the person's unit of work on this
 * thread: while a unit is open, the data source hands out the unit's connection (whose commit and close stay
 * the unit's); otherwise a pooled autocommit connection. So an operation and its scheduled execution are
 * committed together, or not at all.
 */
final class TransactionScope implements DataSource {

    private static final ThreadLocal<Connection> CURRENT = new ThreadLocal<>();

    private final DataSource pool;

    TransactionScope(DataSource pool) {
        this.pool = pool;
    }

    static void bind(Connection connection) {
        CURRENT.set(connection);
    }

    static void unbind() {
        CURRENT.remove();
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection bound = CURRENT.get();
        return bound == null ? pool.getConnection() : unclosable(bound);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    /** The unit's connection, with close() left to the unit. */
    private static Connection unclosable(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close":
                            return null;
                        case "isClosed":
                            return connection.isClosed();
                        default:
                            try {
                                return method.invoke(connection, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                    }
                });
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return pool.isWrapperFor(type);
    }
}
