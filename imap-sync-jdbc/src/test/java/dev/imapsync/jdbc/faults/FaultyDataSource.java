package dev.imapsync.jdbc.faults;

import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} in front of a real one that numbers the steps its connections take (each
 * statement execution, {@code execute*} of any kind including {@code executeBatch}, and each
 * {@code commit}) and injects one fault at step N: an {@link SQLException} instead of the step,
 * an {@link SQLException} after the step ran (its acknowledgement lost), the database session
 * killed from a second connection just before the step (PostgreSQL's
 * {@code pg_terminate_backend}), or the whole JVM halted before or after the step, as a power cut
 * would. Written with {@link Proxy}, so it works with any driver; steps are counted from the
 * last {@link #arm}. Meant for one thread at a time (a sync).
 */
public final class FaultyDataSource {
    /** The exit code of a JVM halted by {@link Fault#halt}. */
    public static final int HALT_EXIT_CODE = 77;

    /** What a step is. */
    public enum Kind {
        /** A statement execution ({@code execute}, {@code executeQuery}, {@code executeUpdate}, {@code executeBatch}, …). */
        STATEMENT,
        /** {@link Connection#commit()}. */
        COMMIT
    }

    /** One step taken: its number from the last {@link #arm} (1-based), what it was, and its SQL if a statement. */
    public record Step(int number, Kind kind, String sql) {
        @Override
        public String toString() {
            return "step " + number + " " + (kind == Kind.COMMIT ? "COMMIT" : abbreviated(sql));
        }

        private static String abbreviated(String sql) {
            String one = sql == null ? "(batch)" : sql.replaceAll("\\s+", " ");
            return one.length() > 70 ? one.substring(0, 70) + "…" : one;
        }
    }

    /** The fault to inject at one step; see the factory methods. */
    public sealed interface Fault {
        /** No fault. */
        static Fault none() {
            return new None();
        }

        /** Step {@code step} throws an {@link SQLException} with {@code sqlState} and does not reach the database. */
        static Fault failBefore(int step, String sqlState) {
            return new FailBefore(step, sqlState);
        }

        /** Step {@code step} runs, then throws an {@link SQLException} with {@code sqlState}. */
        static Fault failAfter(int step, String sqlState) {
            return new FailAfter(step, sqlState);
        }

        /**
         * Just before step {@code step}, {@code admin} (another connection to the same PostgreSQL)
         * terminates the session of the connection taking it; the step then meets the dead session.
         */
        static Fault terminateBackend(int step, DataSource admin) {
            return new TerminateBackend(step, admin);
        }

        /**
         * Halts the JVM ({@link Runtime#halt}, exit code {@value #HALT_EXIT_CODE}) just before step
         * {@code step}, or just after it if {@code afterStep}; first prints {@code HALT <step>} on
         * {@code System.out}.
         */
        static Fault halt(int step, boolean afterStep) {
            return new Halt(step, afterStep);
        }

        /** The step this fault is for (0 for none). */
        int step();
    }

    /** See {@link Fault#none()}. */
    public record None() implements Fault {
        @Override
        public int step() {
            return 0;
        }
    }

    /** See {@link Fault#failBefore}. */
    public record FailBefore(int step, String sqlState) implements Fault {
    }

    /** See {@link Fault#failAfter}. */
    public record FailAfter(int step, String sqlState) implements Fault {
    }

    /** See {@link Fault#terminateBackend}. */
    public record TerminateBackend(int step, DataSource admin) implements Fault {
        @Override
        public String toString() {
            return "TerminateBackend[step=" + step + "]";
        }
    }

    /** See {@link Fault#halt}. */
    public record Halt(int step, boolean afterStep) implements Fault {
    }

    private final DataSource target;
    private final DataSource proxy;
    private final AtomicInteger injected = new AtomicInteger();
    // guarded by this
    private final List<Step> steps = new ArrayList<>();
    private Fault fault = Fault.none();

    /** A faulty data source in front of {@code target}, with no fault armed. */
    public FaultyDataSource(DataSource target) {
        this.target = Objects.requireNonNull(target, "target");
        this.proxy = (DataSource) Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (p, method, args) -> {
                    Object result = invoke(target, method, args);
                    return method.getName().equals("getConnection") ? connection((Connection) result) : result;
                });
    }

    /** The data source to hand to the code under test. */
    public DataSource dataSource() {
        return proxy;
    }

    /** The real data source behind. */
    public DataSource target() {
        return target;
    }

    /** Injects {@code next} from now on, counting steps from 1 again. */
    public synchronized void arm(Fault next) {
        fault = Objects.requireNonNull(next, "next");
        steps.clear();
    }

    /** The steps taken since the last {@link #arm}. */
    public synchronized List<Step> steps() {
        return List.copyOf(steps);
    }

    /** How many faults fired since this data source was made. */
    public int faultsInjected() {
        return injected.get();
    }

    private synchronized Step nextStep(Kind kind, String sql) {
        Step step = new Step(steps.size() + 1, kind, sql);
        steps.add(step);
        return step;
    }

    private synchronized Fault faultFor(Step step) {
        return fault.step() == step.number() ? fault : null;
    }

    private Connection connection(Connection real) {
        return (Connection) Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (p, method, args) -> {
                    switch (method.getName()) {
                        case "commit":
                            return step(real, Kind.COMMIT, null, () -> invoke(real, method, args));
                        case "createStatement":
                            return statement(real, (Statement) invoke(real, method, args), Statement.class, null);
                        case "prepareStatement":
                            return statement(real, (Statement) invoke(real, method, args), PreparedStatement.class,
                                    (String) args[0]);
                        case "prepareCall":
                            return statement(real, (Statement) invoke(real, method, args), CallableStatement.class,
                                    (String) args[0]);
                        default:
                            return invoke(real, method, args);
                    }
                });
    }

    private Statement statement(Connection connection, Statement real, Class<? extends Statement> type, String sql) {
        InvocationHandler handler = (p, method, args) -> {
            if (method.getName().startsWith("execute")) {
                String text = sql != null ? sql : args != null && args.length > 0 && args[0] instanceof String s ? s : null;
                return step(connection, Kind.STATEMENT, text, () -> invoke(real, method, args));
            }
            return invoke(real, method, args);
        };
        return (Statement) Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(), new Class<?>[] {type},
                handler);
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws Throwable;
    }

    private Object step(Connection connection, Kind kind, String sql, Call call) throws Throwable {
        Step step = nextStep(kind, sql);
        Fault f = faultFor(step);
        if (f == null) {
            return call.run();
        }
        injected.incrementAndGet();
        if (f instanceof FailBefore before) {
            throw new SQLException("injected fault instead of " + step, before.sqlState());
        }
        if (f instanceof FailAfter after) {
            call.run();
            throw new SQLException("injected fault after " + step + " ran", after.sqlState());
        }
        if (f instanceof TerminateBackend terminate) {
            terminate(connection, terminate.admin());
            return call.run();
        }
        Halt halt = (Halt) f;
        if (halt.afterStep()) {
            call.run();
        }
        PrintStream out = System.out;
        out.println("HALT " + step.number() + (halt.afterStep() ? " after " : " before ") + step);
        out.flush();
        Runtime.getRuntime().halt(HALT_EXIT_CODE);
        throw new AssertionError("not reached");
    }

    /** Kills the PostgreSQL session of {@code connection} from {@code admin}, and waits until it is gone. */
    private static void terminate(Connection connection, DataSource admin) throws SQLException {
        int pid;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            pid = rs.getInt(1);
        }
        try (Connection c = admin.getConnection();
             PreparedStatement kill = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
            kill.setInt(1, pid);
            try (ResultSet rs = kill.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    throw new IllegalStateException("pg_terminate_backend(" + pid + ") did not terminate the session");
                }
            }
            // the session ends asynchronously: wait until it is gone, so the step meets a dead one
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            try (PreparedStatement alive = c.prepareStatement("SELECT 1 FROM pg_stat_activity WHERE pid = ?")) {
                alive.setInt(1, pid);
                while (true) {
                    try (ResultSet rs = alive.executeQuery()) {
                        if (!rs.next()) {
                            return;
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the session " + pid + " outlived pg_terminate_backend by 10 s");
                    }
                    Thread.onSpinWait();
                }
            }
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
