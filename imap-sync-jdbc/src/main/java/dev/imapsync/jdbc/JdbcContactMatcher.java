package dev.imapsync.jdbc;

import dev.imapsync.ImapSyncException;
import dev.imapsync.contact.ContactMatcher;
import dev.imapsync.contact.ContactRef;
import dev.imapsync.message.EmailAddress;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link ContactMatcher} that looks addresses up in the host application's own contacts
 * table(s), in H2, PostgreSQL or MariaDB/MySQL.
 *
 * <p>Two layouts are supported:
 * <ul>
 *   <li>address columns in the contacts table itself:
 *   {@code JdbcContactMatcher.builder(ds).table("crm_contacts").idColumn("id").emailColumns("email", "email2").build()};
 *   </li>
 *   <li>a second table with one row per address:
 *   {@code JdbcContactMatcher.builder(ds).addressTable("crm_contact_emails", "contact_id", "email").build()}.</li>
 * </ul>
 * Either may add {@code .schema("crm")} (on MariaDB/MySQL: the database) and
 * {@code .dialect(SqlDialect)}; without it the dialect is detected at {@link Builder#build()}.
 *
 * <p>Table, schema and column names must be plain identifiers (letters, digits and
 * underscores, starting with a letter or underscore, at most 63 characters). They are matched
 * to the names the database reports (exact spelling first, then the database's folding of
 * unquoted names, then ignoring case) and are always quoted in SQL. Unless
 * {@link Builder#verify(boolean) verify(false)} is given, {@code build()} checks that the table
 * and every column exist and can be read, and fails with a message naming what is missing.
 *
 * <p>Matching is case-insensitive: {@code LOWER(column)} (or the column itself, with
 * {@link Builder#storedLowerCase(boolean) storedLowerCase(true)}) is compared to the normalized address
 * (see {@link dev.imapsync.message.EmailAddress#normalize}), always through bind parameters.
 * Addresses stored with a Unicode (non-punycode) domain will not match the normalized form.
 * {@link #matchAll} runs one query per call (split into statements of at most
 * {@value #MAX_PARAMETERS} bind parameters for very large sets, on one connection); each
 * address's contacts are distinct and ordered by contact id. {@link #match} runs the same query.
 *
 * <p><b>Indexes the host should have</b>, or every lookup reads the whole table:
 * <ul>
 *   <li>PostgreSQL: an expression index per address column, e.g.
 *   {@code CREATE INDEX crm_contacts_email_lower ON crm_contacts (LOWER(email))} (and one for
 *   {@code email2}, or for the address table's column);</li>
 *   <li>H2 and MariaDB/MySQL, whose planners do not use an index for {@code LOWER(email)}: a
 *   generated lower-case column with an index, named in {@code emailColumns(..)} with
 *   {@link Builder#storedLowerCase(boolean) storedLowerCase(true)}, e.g. on MariaDB/MySQL
 *   {@code ALTER TABLE crm_contacts ADD email_lower VARCHAR(255) AS (LOWER(email)) STORED,
 *   ADD INDEX (email_lower)}, on H2 {@code ALTER TABLE crm_contacts ADD email_lower VARCHAR(255)
 *   GENERATED ALWAYS AS (LOWER(email))} and {@code CREATE INDEX ON crm_contacts (email_lower)}.
 *   (A column the application already stores in lower case does as well.)</li>
 * </ul>
 *
 * <p>Thread-safe: immutable, holding only the {@link DataSource}, and takes a connection per call.
 * Failures throw {@link ImapSyncException} naming the table, with the cause chained.
 */
public final class JdbcContactMatcher implements ContactMatcher {
    /** The most bind parameters one statement is given. */
    public static final int MAX_PARAMETERS = 500;

    static final int MAX_IDENTIFIER = 63;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final DataSource dataSource;
    private final String tableLabel;
    private final List<Branch> branches;
    private final int addressesPerStatement;
    /**
     * PostgreSQL with several address columns: the UNION ALL of index scans costs enough for the
     * planner to start parallel workers, whose start-up (tens of milliseconds) dwarfs the scans.
     */
    private final boolean serialPlans;

    /** One {@code SELECT LOWER(address), id FROM table}: already quoted names. */
    private record Branch(String table, String idColumn, String addressColumn, boolean storedLowerCase) {
        /** The address as compared: the column itself when it holds lower case, so a plain index serves. */
        String comparedAddress() {
            return storedLowerCase ? addressColumn : "LOWER(" + addressColumn + ")";
        }
    }

    private JdbcContactMatcher(DataSource dataSource, String tableLabel, List<Branch> branches, boolean serialPlans) {
        this.dataSource = dataSource;
        this.serialPlans = serialPlans;
        this.tableLabel = tableLabel;
        this.branches = List.copyOf(branches);
        this.addressesPerStatement = Math.max(1, MAX_PARAMETERS / this.branches.size());
    }

    /** A builder of a matcher on the database behind {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    @Override
    public List<ContactRef> match(String normalizedAddress) {
        if (normalizedAddress == null || normalizedAddress.isEmpty()) {
            return List.of();
        }
        List<ContactRef> found = matchAll(Set.of(normalizedAddress)).get(normalizedAddress);
        return found == null ? List.of() : found;
    }

    @Override
    public Map<String, List<ContactRef>> matchAll(Set<String> normalizedAddresses) {
        Objects.requireNonNull(normalizedAddresses, "normalizedAddresses");
        // the parameter (lower case) and the addresses given for it
        Map<String, List<String>> byParameter = new LinkedHashMap<>();
        for (String address : normalizedAddresses) {
            if (address != null && !address.isEmpty()) {
                byParameter.computeIfAbsent(address.toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(address);
            }
        }
        if (byParameter.isEmpty()) {
            return Map.of();
        }
        List<String> parameters = new ArrayList<>(byParameter.keySet());
        Map<String, Set<String>> ids = new HashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            if (serialPlans) {
                queryWithoutParallelWorkers(connection, parameters, ids);
            } else {
                queryAll(connection, parameters, ids);
            }
        } catch (SQLException e) {
            throw new ImapSyncException("Could not look up " + parameters.size() + " addresses in the contacts table "
                    + tableLabel + ": check that the database is reachable, that the table and its id and address"
                    + " columns exist, and that the DataSource's user may read them", e);
        }
        Map<String, List<ContactRef>> result = new HashMap<>();
        for (Map.Entry<String, Set<String>> e : ids.entrySet()) {
            List<ContactRef> refs = new ArrayList<>(e.getValue().size());
            for (String id : e.getValue()) {
                refs.add(ContactRef.of(id));
            }
            List<ContactRef> contacts = Collections.unmodifiableList(refs);
            for (String address : byParameter.getOrDefault(e.getKey(), List.of())) {
                result.put(address, contacts);
            }
        }
        return result;
    }

    private void queryAll(Connection connection, List<String> parameters, Map<String, Set<String>> ids)
            throws SQLException {
        for (int from = 0; from < parameters.size(); from += addressesPerStatement) {
            query(connection, parameters.subList(from, Math.min(parameters.size(), from + addressesPerStatement)), ids);
        }
    }

    /** The look-ups in a read-only transaction of their own, with parallel workers off for it alone. */
    private void queryWithoutParallelWorkers(Connection connection, List<String> parameters,
                                             Map<String, Set<String>> ids) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL max_parallel_workers_per_gather = 0");
            }
            queryAll(connection, parameters, ids);
        } finally {
            try {
                connection.rollback(); // nothing was written; this ends the SET LOCAL too
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private void query(Connection connection, List<String> chunk, Map<String, Set<String>> ids) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql(chunk.size()))) {
            int index = 1;
            for (int b = 0; b < branches.size(); b++) {
                for (String parameter : chunk) {
                    statement.setString(index++, parameter);
                }
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String address = rs.getString(1);
                    String id = rs.getString(2);
                    if (address == null || id == null || id.isBlank()) {
                        continue;
                    }
                    ids.computeIfAbsent(address, k -> new LinkedHashSet<>()).add(id);
                }
            }
        }
    }

    /** The statement for {@code count} addresses: distinct (address, id) pairs ordered by id. */
    String sql(int count) {
        StringBuilder in = new StringBuilder(count * 3);
        for (int i = 0; i < count; i++) {
            in.append(i == 0 ? "?" : ", ?");
        }
        StringBuilder sql = new StringBuilder("SELECT DISTINCT u.addr, u.cid FROM (");
        for (int b = 0; b < branches.size(); b++) {
            Branch branch = branches.get(b);
            if (b > 0) {
                sql.append(" UNION ALL ");
            }
            sql.append("SELECT ").append(branch.comparedAddress()).append(" AS addr, ")
                    .append(branch.idColumn()).append(" AS cid FROM ").append(branch.table())
                    .append(" WHERE ").append(branch.comparedAddress()).append(" IN (").append(in).append(')');
        }
        return sql.append(") u ORDER BY u.cid, u.addr").toString();
    }

    /** The name of the table(s) looked in, for messages. */
    @Override
    public String toString() {
        return "JdbcContactMatcher[" + tableLabel + "]";
    }

    /**
     * Checks a table, schema or column name: letters, digits and underscores, starting with a
     * letter or underscore, at most {@value #MAX_IDENTIFIER} characters.
     *
     * @throws IllegalArgumentException naming the bad value and what is allowed
     */
    static String checkIdentifier(String what, String name) {
        if (name == null) {
            throw new IllegalArgumentException("The " + what + " is missing: give a name of letters, digits and"
                    + " underscores");
        }
        if (name.length() > MAX_IDENTIFIER || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("The " + what + " '" + printable(name) + "' is not allowed: use only"
                    + " letters (A-Z, a-z), digits and underscores, starting with a letter or underscore, at most "
                    + MAX_IDENTIFIER + " characters (quote nothing; names are quoted for the database)");
        }
        return name;
    }

    private static String printable(String name) {
        String cut = name.length() > 100 ? name.substring(0, 100) + "…" : name;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /**
     * Configures a {@link JdbcContactMatcher}: either {@link #table}, {@link #idColumn} and
     * {@link #emailColumns}, or {@link #addressTable}. Not thread-safe; {@link #build()} may be
     * called more than once.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private String schema;
        private String table;
        private String idColumn;
        private List<String> emailColumns = List.of();
        private String addressTable;
        private String addressContactIdColumn;
        private String addressEmailColumn;
        private SqlDialect dialect;
        private boolean verify = true;
        private boolean storedLowerCase;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * The schema of the table(s) (the database on MariaDB/MySQL). Without it the table must be
         * in the connection's current schema (on PostgreSQL: the first existing schema of the
         * {@code search_path}), and SQL names the table unqualified.
         */
        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        /** The contacts table whose own columns hold the addresses; use with {@link #idColumn} and {@link #emailColumns}. */
        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /** The contact id column of {@link #table}. */
        public Builder idColumn(String idColumn) {
            this.idColumn = idColumn;
            return this;
        }

        /** The address columns of {@link #table}, one or more; NULLs are ignored. */
        public Builder emailColumns(String... emailColumns) {
            this.emailColumns = Collections.unmodifiableList(new ArrayList<>(
                    java.util.Arrays.asList(Objects.requireNonNull(emailColumns, "emailColumns"))));
            return this;
        }

        /**
         * A table with one row per address instead: its contact id column and its address
         * column. Not combined with {@link #table}.
         */
        public Builder addressTable(String table, String contactIdColumn, String emailColumn) {
            this.addressTable = table;
            this.addressContactIdColumn = contactIdColumn;
            this.addressEmailColumn = emailColumn;
            return this;
        }

        /**
         * Whether the address columns already hold lower-case addresses (default {@code false}):
         * a generated column such as {@code email_lower ... AS (LOWER(email))}, or addresses
         * lower-cased when written. The columns are then compared as they are, so a plain index
         * on them serves the look-up; this is the way to index on H2 and MariaDB, which do not
         * use an index for {@code LOWER(column)}. A value that is not lower case will not match.
         */
        public Builder storedLowerCase(boolean storedLowerCase) {
            this.storedLowerCase = storedLowerCase;
            return this;
        }

        /** The database's dialect; detected from the database at {@link #build()} when not given. */
        public Builder dialect(SqlDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * Whether {@link #build()} checks that the table and columns exist and can be read
         * (default {@code true}). Without it, and with an explicit {@link #dialect}, {@code build()}
         * does not connect, and names are used as the database folds unquoted names.
         */
        public Builder verify(boolean verify) {
            this.verify = verify;
            return this;
        }

        /**
         * The matcher.
         *
         * @throws IllegalArgumentException if a name given is not a plain identifier
         * @throws IllegalStateException if neither or both layouts are configured, or a setting the
         *         layout needs was not given (the table, its id column or its address columns; or a
         *         part of {@link #addressTable} given as null)
         * @throws ImapSyncException if the database cannot be reached or is not supported, or a
         *         table or column is missing or cannot be read
         */
        public JdbcContactMatcher build() {
            boolean columnsLayout = table != null || idColumn != null || !emailColumns.isEmpty();
            boolean tableLayout = addressTable != null || addressContactIdColumn != null || addressEmailColumn != null;
            if (columnsLayout == tableLayout) {
                throw new IllegalStateException(columnsLayout
                        ? "Configure either table(..)/idColumn(..)/emailColumns(..) or addressTable(..), not both"
                        : "Configure the contacts table: table(..), idColumn(..) and emailColumns(..), or addressTable(..)");
            }
            if (schema != null) {
                checkIdentifier("schema name", schema);
            }
            String tableName;
            String id;
            List<String> addresses;
            if (columnsLayout) {
                tableName = checkIdentifier("table name", required(table, "contacts table",
                        "table(..) with the table that holds the addresses, e.g. table(\"crm_contacts\")"));
                id = checkIdentifier("id column name", required(idColumn, "id column of table " + table,
                        "idColumn(..) with its contact id column, e.g. idColumn(\"id\")"));
                if (emailColumns.isEmpty()) {
                    throw new IllegalStateException("Give at least one address column of table " + table
                            + ": emailColumns(\"email\", ...)");
                }
                addresses = new ArrayList<>();
                for (String column : emailColumns) {
                    checkIdentifier("email column name", column);
                    if (!addresses.contains(column)) {
                        addresses.add(column);
                    }
                }
            } else {
                String call = "addressTable(table, contactIdColumn, emailColumn) with all three names, e.g."
                        + " addressTable(\"crm_contact_emails\", \"contact_id\", \"email\")";
                tableName = checkIdentifier("address table name", required(addressTable, "address table", call));
                id = checkIdentifier("contact id column name", required(addressContactIdColumn,
                        "contact id column of the address table", call));
                addresses = List.of(checkIdentifier("email column name", required(addressEmailColumn,
                        "email column of the address table", call)));
            }
            String label = schema == null ? tableName : schema + "." + tableName;
            if (dialect != null && !verify) {
                return assemble(dialect, label, schema == null ? null : fold(dialect, schema), fold(dialect, tableName),
                        fold(dialect, id), addresses.stream().map(c -> fold(dialect, c)).toList());
            }
            try (Connection connection = dataSource.getConnection()) {
                SqlDialect d = dialect != null ? dialect : SqlDialect.detect(connection);
                if (!verify) {
                    return assemble(d, label, schema == null ? null : fold(d, schema), fold(d, tableName),
                            fold(d, id), addresses.stream().map(c -> fold(d, c)).toList());
                }
                return verified(connection, d, label, tableName, id, addresses);
            } catch (SQLException e) {
                throw new ImapSyncException("Could not check the contacts table " + label
                        + ": check the DataSource and that its user may read the table", e);
            } catch (IllegalArgumentException e) {
                throw new ImapSyncException(e.getMessage(), e);
            }
        }

        /** A setting the layout needs: there, or an {@link IllegalStateException} saying what to call. */
        private static String required(String value, String what, String call) {
            if (value == null) {
                throw new IllegalStateException("No " + what + " was given: call " + call);
            }
            return value;
        }

        private JdbcContactMatcher verified(Connection connection, SqlDialect d, String label, String tableName,
                                            String id, List<String> addresses) throws SQLException {
            DatabaseMetaData meta = connection.getMetaData();
            boolean catalogs = d == SqlDialect.MYSQL;
            String actualSchema;
            if (schema != null) {
                List<String> known = new ArrayList<>();
                try (ResultSet rs = catalogs ? meta.getCatalogs() : meta.getSchemas()) {
                    while (rs.next()) {
                        known.add(rs.getString(catalogs ? "TABLE_CAT" : "TABLE_SCHEM"));
                    }
                }
                actualSchema = resolve(d, schema, known);
                if (actualSchema == null) {
                    throw new ImapSyncException("The schema '" + schema + "' of the contacts table " + label
                            + " does not exist: check schema(..)" + (catalogs ? " (on MariaDB/MySQL: the database name)" : ""));
                }
            } else {
                actualSchema = catalogs ? connection.getCatalog() : connection.getSchema();
            }
            String catalog = catalogs ? actualSchema : null;
            String schemaPattern = catalogs ? null : escape(meta, actualSchema);
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = meta.getTables(catalog, schemaPattern, "%", null)) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            String actualTable = resolve(d, tableName, tables);
            if (actualTable == null) {
                throw new ImapSyncException("The contacts table " + label + " does not exist"
                        + (actualSchema == null ? "" : " in schema '" + actualSchema + "'")
                        + ": check the table name, schema(..) and the DataSource's database");
            }
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = meta.getColumns(catalog, schemaPattern, escape(meta, actualTable), "%")) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME"));
                }
            }
            List<String> missing = new ArrayList<>();
            String actualId = resolve(d, id, columns);
            if (actualId == null) {
                missing.add(id);
            }
            List<String> actualAddresses = new ArrayList<>();
            for (String column : addresses) {
                String actual = resolve(d, column, columns);
                if (actual == null) {
                    missing.add(column);
                } else {
                    actualAddresses.add(actual);
                }
            }
            if (!missing.isEmpty()) {
                throw new ImapSyncException("The contacts table " + label + " has no column" + (missing.size() > 1 ? "s " : " ")
                        + String.join(", ", missing) + ": its columns are " + String.join(", ", columns)
                        + "; check idColumn(..)/emailColumns(..) or addressTable(..)");
            }
            JdbcContactMatcher matcher = assemble(d, label, schema == null ? null : actualSchema, actualTable,
                    actualId, actualAddresses);
            String probe = matcher.sql(1).replace("IN (?)", "IN (?) AND 1 = 0");
            try (PreparedStatement statement = connection.prepareStatement(probe)) {
                for (int i = 1; i <= matcher.branches.size(); i++) {
                    statement.setString(i, "");
                }
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                }
            } catch (SQLException e) {
                throw new ImapSyncException("The contacts table " + label + " exists but could not be read: check that"
                        + " the DataSource's user may SELECT from it", e);
            }
            return matcher;
        }

        private JdbcContactMatcher assemble(SqlDialect d, String label, String schemaName, String tableName,
                                            String id, List<String> addresses) {
            String qualified = (schemaName == null ? "" : quote(d, schemaName) + ".") + quote(d, tableName);
            List<Branch> branches = new ArrayList<>();
            for (String column : addresses) {
                branches.add(new Branch(qualified, quote(d, id), quote(d, column), storedLowerCase));
            }
            return new JdbcContactMatcher(dataSource, label, branches,
                    d == SqlDialect.POSTGRESQL && branches.size() > 1);
        }

        /** The name as the database reports it: exact spelling, then folded, then ignoring case if unique. */
        private static String resolve(SqlDialect d, String name, List<String> known) {
            if (known.contains(name)) {
                return name;
            }
            String folded = fold(d, name);
            if (known.contains(folded)) {
                return folded;
            }
            String only = null;
            for (String k : known) {
                if (k != null && k.equalsIgnoreCase(name)) {
                    if (only != null) {
                        return null;
                    }
                    only = k;
                }
            }
            return only;
        }

        private static String escape(DatabaseMetaData meta, String name) throws SQLException {
            if (name == null) {
                return null;
            }
            String esc = meta.getSearchStringEscape();
            if (esc == null || esc.isEmpty()) {
                return name;
            }
            return name.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
        }
    }

    /** An unquoted name as the database stores it. */
    static String fold(SqlDialect d, String name) {
        return switch (d) {
            case H2 -> name.toUpperCase(Locale.ROOT);
            case POSTGRESQL -> name.toLowerCase(Locale.ROOT);
            case MYSQL -> name;
        };
    }

    /** A checked identifier quoted for the dialect; it holds no quote characters. */
    static String quote(SqlDialect d, String identifier) {
        checkIdentifier("name", identifier);
        return d == SqlDialect.MYSQL ? "`" + identifier + "`" : "\"" + identifier + "\"";
    }
}
