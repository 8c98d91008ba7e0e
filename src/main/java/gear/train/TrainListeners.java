package gear.train;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Ready-made {@link TrainListener}s: a console progress bar and one log line per epoch. */
public final class TrainListeners {
    private TrainListeners() {}

    /**
     * The listener for a command-line run: a progress bar on stderr when a console is attached
     * ({@code System.console() != null}), else one plain log line per epoch on stderr; nothing
     * when {@code quiet}.
     */
    public static TrainListener console(boolean quiet) {
        return console(quiet, Regression.INSTANCE);
    }

    /** As {@link #console(boolean)}, with the metric names of {@code taskType}. */
    public static TrainListener console(boolean quiet, TaskType taskType) {
        if (quiet) {
            return new TrainListener() {};
        }
        return System.console() != null ? new Progress() : log(System.err, taskType);
    }

    /** @return a listener writing one line per epoch (epoch, train loss, val RMSE, lr, seconds) to {@code out} */
    public static TrainListener log(PrintStream out) {
        return log(out, Regression.INSTANCE);
    }

    /** @return a listener writing one line per epoch, the validation score named by {@code taskType} */
    public static TrainListener log(PrintStream out, TaskType taskType) {
        return new TrainListener() {
            @Override
            public void onTrainingStart(int firstEpoch, int epochs, int batchesPerEpoch) {
                if (firstEpoch > 0) {
                    out.println("resuming at epoch " + (firstEpoch + 1) + "/" + epochs);
                }
            }

            @Override
            public void onEpochEnd(EpochStats s) {
                out.println(line(s, taskType));
                out.flush();
            }
        };
    }

    /** @return the log line of one epoch */
    public static String line(EpochStats s) {
        return line(s, Regression.INSTANCE);
    }

    /** @return the log line of one epoch, the validation score named by {@code taskType} ({@code val_rmse}) */
    public static String line(EpochStats s, TaskType taskType) {
        return String.format(Locale.ROOT, "epoch %d/%d  train_loss %.5f  %s %.5f  lr %.3e  %.1f s%s",
                s.epoch() + 1, s.epochs(), s.trainLoss(), taskType.valColumn(), s.valScore(), s.lr(), s.seconds(),
                s.improved() ? "  *" : "");
    }

    /** Progress bar over all batches of the run, with the last epoch's metrics as extra message. */
    static final class Progress implements TrainListener {
        private ProgressBar bar;

        @Override
        public void onTrainingStart(int firstEpoch, int epochs, int batchesPerEpoch) {
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax((long) epochs * batchesPerEpoch)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).build();
            bar.stepTo((long) firstEpoch * batchesPerEpoch);
        }

        @Override
        public void onBatchEnd(int epoch, int batch, double loss) {
            bar.step();
        }

        @Override
        public void onEpochEnd(EpochStats s) {
            bar.setExtraMessage(String.format(Locale.ROOT, "epoch %d loss %.4f val %.4f", s.epoch() + 1, s.trainLoss(),
                    s.valScore()));
        }

        @Override
        public void onTrainingEnd(Engine.Result result) {
            bar.stepTo(bar.getMax());
            bar.close();
        }

        @Override
        public void onTrainingFailed(Throwable error) {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
