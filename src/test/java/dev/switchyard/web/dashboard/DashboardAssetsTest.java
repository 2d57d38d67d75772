package dev.switchyard.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DashboardAssetsTest {
    private static final Path SOURCES = Path.of("src/main/resources/dashboard");

    @Test
    void theServedListIsExactlyTheFolder() throws IOException {
        List<String> onDisk;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            onDisk = files.filter(Files::isRegularFile).map(p -> SOURCES.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
        assertThat(DashboardAssets.FILES).as("add new dashboard files to DashboardAssets.FILES").containsExactlyInAnyOrderElementsOf(onDisk);
    }

    @Test
    void everyFileAndUplotLoadFromTheClasspath() {
        assertThat(DashboardAssets.uplotVersion()).matches("\\d+\\.\\d+\\.\\d+");
        DashboardAssets.load(); // throws when a listed file is missing from the jar
    }

    @Test
    void modulesImportOnlyFilesThatAreServed() throws IOException {
        for (String f : DashboardAssets.FILES) {
            if (!f.endsWith(".js")) continue;
            Path dir = Path.of(f).getParent();
            for (String line : Files.readAllLines(SOURCES.resolve(f))) {
                if (!line.startsWith("import ")) continue;
                String target = line.substring(line.indexOf('\'') + 1, line.lastIndexOf('\''));
                String resolved = dir.resolve(target).normalize().toString().replace('\\', '/');
                assertThat(resolved).as(f + " imports " + target).satisfiesAnyOf(
                        r -> assertThat(DashboardAssets.FILES).contains(r),
                        r -> assertThat(DashboardAssets.UPLOT_FILES).contains(r.replace("vendor/uplot/", "")));
            }
        }
    }

    @Test
    void contentTypesAreRight() {
        assertThat(DashboardAssets.contentType("a/b.js")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(DashboardAssets.contentType("app.css")).isEqualTo("text/css; charset=utf-8");
        assertThat(DashboardAssets.contentType("index.html")).isEqualTo("text/html; charset=utf-8");
        assertThat(DashboardAssets.contentType("favicon.svg")).isEqualTo("image/svg+xml");
    }
}
