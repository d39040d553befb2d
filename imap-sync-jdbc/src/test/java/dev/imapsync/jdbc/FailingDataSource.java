package dev.imapsync.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A DataSource whose connections' n-th prepared statement execution, counted across connections,
 * throws a connection-loss {@link SQLException}: the store's commits are failed at each step in turn.
 */
final class FailingDataSource {
    private FailingDataSource() {
    }

    /**
     * Fails the n-th execution. With {@code hideDriver}, the connections do not unwrap to the driver's
     * own (as with a pool that does not unwrap), so PostgreSQL's COPY, which bypasses the statements
     * counted here, is not used; without it, COPY runs and only the statements around it are counted.
     */
    static DataSource failingOn(DataSource target, int n, boolean hideDriver) {
        AtomicInteger executions = new AtomicInteger();
        return proxy(DataSource.class, target, (ds, method, args) -> {
            Object result = invoke(method, target, args);
            if (!method.getName().equals("getConnection")) {
                return result;
            }
            Connection connection = (Connection) result;
            return proxy(Connection.class, connection, (c, cm, cargs) -> {
                if (hideDriver && cm.getName().equals("isWrapperFor")) {
                    return false;
                }
                if (hideDriver && cm.getName().equals("unwrap")) {
                    throw new SQLException("not a wrapper");
                }
                Object made = invoke(cm, connection, cargs);
                if (!cm.getName().equals("prepareStatement")) {
                    return made;
                }
                PreparedStatement statement = (PreparedStatement) made;
                return proxy(PreparedStatement.class, statement, (p, pm, pargs) -> {
                    if (pm.getName().startsWith("execute") && executions.incrementAndGet() == n) {
                        throw new SQLException("injected failure", "08006");
                    }
                    return invoke(pm, statement, pargs);
                });
            });
        });
    }

    private static <T> T proxy(Class<T> type, T target, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(FailingDataSource.class.getClassLoader(), new Class<?>[] {type},
                handler));
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
