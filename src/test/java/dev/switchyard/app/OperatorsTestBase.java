package dev.switchyard.app;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * For tests of operators' features through the whole assembly: a test folder for the config file and store,
 * and a harness that is checked for leaked secrets and closed after each test.
 */
abstract class OperatorsTestBase {
    @TempDir
    Path dir;
    OperatorsHarness h;

    @AfterEach
    void closeHarness() throws Exception {
        if (h != null) {
            h.assertNoSecretLogged();
            h.close();
        }
    }
}
