package dev.switchyard.store;

import dev.switchyard.accounting.UsageRecord;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable usage ledger. Requests hand records to {@link #accept} from the event loop: a non-blocking offer
 * to a bounded queue (full → the record is dropped and counted, the request never waits). One writer thread
 * drains the queue in batches (up to {@code batchSize} rows or {@code batchWindow} after the first) and inserts
 * each batch in one transaction. When the database is unavailable, batches go to a bounded spill file and are
 * replayed, oldest first, once it answers again. Retention pruning runs on the same thread between batches.
 *
 * <p>What a crash can lose: records still in the queue and the batch being written (at most
 * {@code queueCapacity + batchSize}, in practice the last ~{@code batchWindow} of traffic). Records in the spill
 * file are fsynced per batch and survive. {@link #close} drains everything first.
 */
public final class Ledger implements Consumer<UsageRecord>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);

    /**
     * Counters since start, for metrics and tests.
     *
     * @param dropped       refused because the queue was full
     * @param spilled       written to the spill file while the database was unavailable
     * @param replayed      moved from the spill file into the database
     * @param rejected      rows the database refused as bad data (or unreadable spill lines)
     * @param spillDropped  lost because the spill file was full
     */
    public record Stats(int queueDepth, long accepted, long dropped, long written, long spilled, long replayed,
            long rejected, long spillDropped, long spillBytes, boolean databaseUp) {}

    private final LedgerDatabase db;
    private final LedgerOptions options;
    private final ArrayBlockingQueue<LedgerRow> queue;
    private final SpillFile spill;
    private final Thread writer;
    private final ConcurrentLinkedQueue<Flush> flushes = new ConcurrentLinkedQueue<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong iterations = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong spilled = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong spillDropped = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean stopped;
    private volatile boolean up;
    private volatile boolean retryNow;
    /** The writer sleeps out a batch window ({@link #gather}). */
    private volatile boolean napping;
    private volatile long spillBytes;

    // writer-thread state
    private LedgerSession session;
    private long nextRetryNanos;
    private Duration backoff;
    private long nextPruneNanos;
    private long lastDropWarnNanos;

    /** Done when records up to {@code upTo} are handled and a writer pass that began after the call has ended. */
    private record Flush(long upTo, long afterIteration, CompletableFuture<Void> done) {}

    private Ledger(LedgerDatabase db, LedgerOptions options) {
        this.db = db;
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.spill = new SpillFile(options.spillFile(), options.spillMaxBytes());
        this.backoff = options.retryMin();
        this.spillBytes = spill.size();
        this.writer = new Thread(this::run, "switchyard-ledger");
        this.writer.setDaemon(true);
    }

    /**
     * Opens the ledger and starts its writer. An unreachable database does not stop the gateway: records spill
     * until it answers (and migrations run then). A malformed URL does.
     */
    public static Ledger open(StoreUrl url, LedgerOptions options) {
        LedgerDatabase db = new LedgerDatabase(url, options.busyTimeout());
        Ledger l = new Ledger(db, options);
        try {
            l.session = LedgerSession.open(db);
            l.up = true;
        } catch (SQLException e) {
            l.markDown("at startup", e);
        }
        if (l.spillBytes > 0) LOG.info("ledger: {} bytes of records from an earlier outage wait in {}", l.spillBytes, options.spillFile());
        l.writer.start();
        LOG.info("ledger: {} ({})", url.display(), l.up ? "ready" : "unavailable, spilling to " + options.spillFile());
        return l;
    }

    public LedgerDatabase database() {
        return db;
    }

    /** Never blocks: a full queue (or a closed ledger) drops the record and counts it. */
    @Override
    public void accept(UsageRecord r) {
        if (running && queue.offer(LedgerRow.of(r))) {
            long backlog = accepted.incrementAndGet() - handled.get();
            // a full batch is waiting: wake the writer instead of letting it sleep out its window
            if (napping && backlog >= options.batchSize()) LockSupport.unpark(writer);
            return;
        }
        long n = dropped.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastDropWarnNanos > TimeUnit.SECONDS.toNanos(10)) { // racy by design: a rate limit for a log line
            lastDropWarnNanos = now;
            LOG.warn("ledger queue full or closed: usage record {} dropped ({} dropped so far)", r.id(), n);
        }
    }

    /**
     * Completes once every record accepted before this call is in the database — or, while the database is
     * unavailable, safely in the spill file — and the writer has made one full pass after the call (so a
     * {@link #retryNow} before it has been acted on: the database tried, the spill file replayed if it answered).
     */
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        flushes.add(new Flush(accepted.get(), iterations.get(), f));
        LockSupport.unpark(writer);
        if (stopped) completeAllFlushes();
        return f;
    }

    /** Skips the wait before the next reconnection attempt (operators' "retry now"; tests). */
    public void retryNow() {
        retryNow = true;
    }

    /** How many records may wait for the writer before new ones are dropped. */
    public int capacity() {
        return options.queueCapacity();
    }

    public Stats stats() {
        return new Stats(queue.size(), accepted.get(), dropped.get(), written.get(), spilled.get(), replayed.get(),
                rejected.get(), spillDropped.get(), spillBytes, up);
    }

    /** Stops accepting, writes (or spills) everything queued, and closes the database within {@code timeout}. */
    public void close(Duration timeout) {
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) LOG.warn("ledger: writer still busy after {}; {} records may be lost", timeout, queue.size());
        db.close();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    // ---- the writer thread ----

    private void run() {
        List<LedgerRow> batch = new ArrayList<>(options.batchSize());
        while (running || !queue.isEmpty()) {
            iterations.incrementAndGet();
            try {
                gather(batch);
                if (!batch.isEmpty()) {
                    write(batch);
                    handled.addAndGet(batch.size());
                    batch.clear();
                }
                if (spillBytes > 0 && databaseReady()) replaySpill();
                prune();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("ledger writer: unexpected failure; continuing", e);
                handled.addAndGet(batch.size());
                batch.clear();
            }
            completeFlushes();
        }
        closeConnection();
        stopped = true;
        completeAllFlushes();
    }

    private void completeAllFlushes() {
        Flush f;
        while ((f = flushes.poll()) != null) f.done.complete(null);
    }

    /**
     * Collects a batch: the first record (waiting up to one window for it), then whatever arrives within the window,
     * up to {@code batchSize}. While it waits for more, the writer sleeps for the rest of the window instead of
     * blocking on the queue: a thread blocked on the queue is woken by every single offer (a futex wake-up on the
     * request's thread, a context switch for the writer), and short naps wake it hundreds of times a second. An offer
     * that completes a batch wakes it early ({@link #accept}), as do a pending {@link #flush} and {@link #close}.
     */
    private void gather(List<LedgerRow> batch) throws InterruptedException {
        LedgerRow first = queue.poll(options.batchWindow().toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) return;
        batch.add(first);
        long deadline = System.nanoTime() + options.batchWindow().toNanos();
        while (true) {
            queue.drainTo(batch, options.batchSize() - batch.size());
            if (batch.size() >= options.batchSize() || !running || !flushes.isEmpty()) return;
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            napping = true;
            LockSupport.parkNanos(this, left);
            napping = false;
            if (Thread.interrupted()) throw new InterruptedException();
        }
    }

    private void write(List<LedgerRow> batch) {
        if (!databaseReady() || (spillBytes > 0 && !replaySpill())) {
            toSpill(batch);
            return;
        }
        try {
            session.insert(batch);
            written.addAndGet(batch.size());
        } catch (SQLException e) {
            if (db.dialect().isUnavailable(e) || connectionBroken()) {
                markDown("writing a batch", e);
                toSpill(batch);
            } else {
                insertOneByOne(batch, e);
            }
        }
    }

    /** A batch the database refused as data: find the bad rows so the good ones still land. */
    private void insertOneByOne(List<LedgerRow> batch, SQLException cause) {
        LOG.warn("ledger: the database refused a batch ({}); inserting its {} rows one by one", brief(cause), batch.size());
        for (int i = 0; i < batch.size(); i++) {
            LedgerRow r = batch.get(i);
            try {
                session.insert(List.of(r));
                written.incrementAndGet();
            } catch (SQLException e) {
                if (db.dialect().isUnavailable(e) || connectionBroken()) {
                    markDown("writing a row", e);
                    toSpill(batch.subList(i, batch.size()));
                    return;
                }
                rejected.incrementAndGet();
                LOG.error("ledger: usage record {} rejected by the database and dropped: {}", r.toRecord().id(), brief(e));
            }
        }
    }

    /** True when a connection is open, or when it is time to try again and a new one opens. */
    private boolean databaseReady() {
        if (session != null) return true;
        if (!retryNow && System.nanoTime() < nextRetryNanos) return false;
        retryNow = false;
        try {
            session = LedgerSession.open(db);
            if (!up) LOG.info("ledger: {} is reachable again", db.url().display());
            up = true;
            backoff = options.retryMin();
            return true;
        } catch (SQLException e) {
            markDown("reconnecting", e);
            return false;
        }
    }

    /**
     * Moves spilled records into the database, oldest first, then deletes the file.
     *
     * @return false when the database failed midway (the file stays; a later replay repeats harmlessly)
     */
    private boolean replaySpill() {
        long offset = 0;
        long moved = 0;
        try {
            while (true) {
                SpillFile.Chunk chunk = spill.read(offset, options.batchSize());
                rejected.addAndGet(chunk.unreadable());
                if (chunk.records().isEmpty() && chunk.unreadable() == 0) break;
                if (!chunk.records().isEmpty()) session.insertReplayed(chunk.records().stream().map(LedgerRow::of).toList());
                moved += chunk.records().size();
                offset = chunk.nextOffset();
            }
            spill.delete();
            spillBytes = 0;
            replayed.addAndGet(moved);
            written.addAndGet(moved);
            LOG.info("ledger: replayed {} spilled records into {}", moved, db.url().display());
            return true;
        } catch (SQLException e) {
            markDown("replaying spilled records", e);
            return false;
        } catch (IOException e) {
            LOG.error("ledger: cannot read the spill file {}: {}", spill.path(), e.toString());
            return false;
        }
    }

    private void toSpill(List<LedgerRow> batch) {
        try {
            int lost = spill.append(batch.stream().map(LedgerRow::toRecord).toList());
            spilled.addAndGet(batch.size() - lost);
            if (lost > 0) {
                spillDropped.addAndGet(lost);
                LOG.error("ledger: spill file {} is full ({} bytes): {} usage records lost", spill.path(), options.spillMaxBytes(), lost);
            }
        } catch (IOException e) {
            spillDropped.addAndGet(batch.size());
            LOG.error("ledger: cannot write the spill file {} ({}): {} usage records lost", spill.path(), e.toString(), batch.size());
        }
        spillBytes = spill.size();
    }

    private void prune() {
        Duration keep = options.retention();
        if (keep == null || keep.isZero() || keep.isNegative()) return;
        long now = System.nanoTime();
        if (now < nextPruneNanos || !databaseReady()) return;
        long cutoff = System.currentTimeMillis() - keep.toMillis();
        try {
            boolean done = LedgerSql.pruneStep(session.connection(), cutoff, TimeUnit.HOURS.toMillis(6));
            // a backlog is pruned a window at a time, between insert batches
            nextPruneNanos = done ? now + options.pruneEvery().toNanos() : now;
        } catch (SQLException e) {
            if (db.dialect().isUnavailable(e) || connectionBroken()) markDown("pruning", e);
            else LOG.warn("ledger: retention pruning failed: {}", brief(e));
            nextPruneNanos = now + options.pruneEvery().toNanos();
        }
    }

    private boolean connectionBroken() {
        return session == null || session.broken();
    }

    private void markDown(String during, SQLException e) {
        if (up || session != null) {
            LOG.warn("ledger: {} unavailable while {} ({}); spilling to {} and retrying", db.url().display(), during,
                    brief(e), spill.path());
        }
        up = false;
        closeConnection();
        nextRetryNanos = System.nanoTime() + backoff.toNanos();
        backoff = backoff.multipliedBy(2).compareTo(options.retryMax()) > 0 ? options.retryMax() : backoff.multipliedBy(2);
    }

    /** The driver's message without the statement text PostgreSQL's batch errors repeat. */
    private static String brief(SQLException e) {
        SQLException cause = e.getNextException() != null ? e.getNextException() : e;
        String m = String.valueOf(cause.getMessage());
        int nl = m.indexOf('\n');
        if (nl > 0) m = m.substring(0, nl);
        return m.length() > 240 ? m.substring(0, 240) + "…" : m;
    }

    /** The next session starts afresh, name ids included: it may reach a ledger that was replaced meanwhile. */
    private void closeConnection() {
        if (session == null) return;
        session.close();
        session = null;
    }

    private void completeFlushes() {
        long done = handled.get();
        for (Iterator<Flush> it = flushes.iterator(); it.hasNext(); ) {
            Flush f = it.next();
            if (f.upTo <= done && iterations.get() > f.afterIteration) {
                f.done.complete(null);
                it.remove();
            }
        }
    }
}
