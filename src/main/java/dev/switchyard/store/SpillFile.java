package dev.switchyard.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchyard.accounting.UsageRecord;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Where records wait while the database is unreachable: one JSON object per line, appended and fsynced per
 * batch, bounded in size. Only the ledger's writer thread touches it. Replays are safe to repeat (inserts
 * ignore rows already present), so a replay cut short by a second outage just starts over.
 */
final class SpillFile {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** What a replay read: the records, and how many lines could not be read back. */
    record Chunk(List<UsageRecord> records, int unreadable, long nextOffset) {}

    private final Path path;
    private final long maxBytes;

    SpillFile(Path path, long maxBytes) {
        this.path = path;
        this.maxBytes = maxBytes;
    }

    Path path() {
        return path;
    }

    long size() {
        try {
            return Files.exists(path) ? Files.size(path) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Appends the records that still fit under the size bound.
     *
     * @return how many did not fit (the caller counts them as lost)
     */
    int append(List<UsageRecord> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(records.size() * 512);
        long room = maxBytes - size();
        int lost = 0;
        for (UsageRecord r : records) {
            byte[] line = JSON.writeValueAsBytes(r);
            if (out.size() + line.length + 1 > room) {
                lost++;
                continue;
            }
            out.write(line);
            out.write('\n');
        }
        if (out.size() == 0) return lost;
        if (path.toAbsolutePath().getParent() != null) Files.createDirectories(path.toAbsolutePath().getParent());
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(out.toByteArray());
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(false);
        }
        return lost;
    }

    /** Reads up to {@code max} records starting at byte {@code offset} (a line boundary). */
    Chunk read(long offset, int max) throws IOException {
        List<UsageRecord> records = new ArrayList<>(Math.min(max, 1024));
        int bad = 0;
        long pos = offset;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.position(offset);
            BufferedReader r = new BufferedReader(java.nio.channels.Channels.newReader(ch, StandardCharsets.UTF_8));
            String line;
            while (records.size() < max && (line = r.readLine()) != null) {
                pos += line.getBytes(StandardCharsets.UTF_8).length + 1;
                if (line.isBlank()) continue;
                try {
                    records.add(JSON.readValue(line, UsageRecord.class));
                } catch (IOException e) {
                    bad++; // a torn last line from a crash mid-append, or a hand edit
                }
            }
        }
        return new Chunk(records, bad, pos);
    }

    void delete() throws IOException {
        Files.deleteIfExists(path);
    }
}
