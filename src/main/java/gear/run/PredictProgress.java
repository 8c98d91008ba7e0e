package gear.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a prediction: a bar with rate and ETA on a terminal, a plain line every
 * {@link #LOG_INTERVAL_NANOS} otherwise (logs, CI), nothing when quiet. The total is estimated by counting the
 * input's lines (fast compared with prediction).
 */
public abstract class PredictProgress implements AutoCloseable {
    /** Interval of the plain progress lines: 10 s. */
    public static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    /** @param rows rows finished so far (monotone) */
    public abstract void update(long rows);

    @Override
    public void close() {}

    /** @return a progress that shows nothing */
    public static PredictProgress none() {
        return new PredictProgress() {
            @Override
            public void update(long rows) {}
        };
    }

    /**
     * @param input the input file (its lines minus one are the expected total)
     * @param err where progress goes
     * @param terminal whether {@code err} is a terminal (a bar) or not (plain lines)
     */
    public static PredictProgress of(Path input, PrintStream err, boolean terminal) {
        long total = countDataLines(input);
        if (terminal) {
            ProgressBar bar = new ProgressBarBuilder().setTaskName("predict").setInitialMax(Math.max(total, 0))
                    .setUnit(" mol", 1).showSpeed().setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(500).build();
            return new PredictProgress() {
                @Override
                public void update(long rows) {
                    bar.stepTo(rows);
                }

                @Override
                public void close() {
                    bar.close();
                }
            };
        }
        long start = System.nanoTime();
        return new PredictProgress() {
            long last = start;

            @Override
            public void update(long rows) {
                long now = System.nanoTime();
                if (now - last < LOG_INTERVAL_NANOS) {
                    return;
                }
                last = now;
                err.println(line(rows, total, (now - start) / 1e9));
            }
        };
    }

    /** @return the plain progress line: rows, share of the total, rate and ETA */
    static String line(long rows, long total, double seconds) {
        double rate = seconds > 0 ? rows / seconds : 0;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "gear predict: %,d", rows));
        if (total > 0) {
            sb.append(String.format(Locale.ROOT, " of %,d rows (%.0f %%)", total, 100.0 * rows / total));
        } else {
            sb.append(" rows");
        }
        sb.append(String.format(Locale.ROOT, ", %,.0f mol/s", rate));
        if (total > 0 && rate > 0 && rows < total) {
            long eta = Math.round((total - rows) / rate);
            sb.append(String.format(Locale.ROOT, ", ETA %d:%02d:%02d", eta / 3600, eta / 60 % 60, eta % 60));
        }
        return sb.toString();
    }

    /** @return the number of lines of the file minus the header, or −1 when it cannot be read */
    static long countDataLines(Path file) {
        long n = 0;
        int lastByte = '\n';
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        n++;
                    }
                }
                lastByte = buf[r - 1];
            }
        } catch (IOException e) {
            return -1;
        }
        if (lastByte != '\n') {
            n++;
        }
        return n - 1;
    }
}
