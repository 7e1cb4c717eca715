package org.custody.ledger;

import java.util.ArrayList;
import java.util.List;
import org.custody.ledger.postgres.PostgresStore;
import org.custody.ledger.postgres.PostgresUrl;
import org.custody.store.LedgerStore;
import org.custody.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;

/**
 * The store conformance suite on the test PostgreSQL database ({@code tools/build/test-postgres.sh}), a schema per
 * ledger, each dropped after its test. Fails, never skips, when the database is not there.
 */
class PostgresConformanceTest extends StoreConformanceTest {
    private final List<PostgresUrl> made = new ArrayList<>();

    @Override
    LedgerLocation fresh() {
        PostgresUrl url = TestPostgres.freshSchema();
        made.add(url);
        return new LedgerLocation.Database(url);
    }

    @Override
    void execute(LedgerLocation location, String sql) {
        TestPostgres.execute(((LedgerLocation.Database) location).url(), sql);
    }

    @Override
    LedgerStore openStore(LedgerLocation location) {
        return PostgresStore.open(((LedgerLocation.Database) location).url());
    }

    @AfterEach
    void dropSchemas() {
        for (PostgresUrl url : made) {
            TestPostgres.drop(url);
        }
    }
}
