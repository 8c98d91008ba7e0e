package gear.cli;

import gear.data.BadInputException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The one place where a command's failure becomes a message and an exit code: one line on stderr,
 * never a stack trace (unless {@code -Dgear.debug=true}).
 *
 * <ul>
 *   <li>bad input ({@link BadInputException}, {@link IllegalArgumentException}): exit 2 with its message;</li>
 *   <li>a training run that diverged ({@link gear.train.TrainingDivergedException}: a NaN or infinite loss, or
 *       non-finite weights or latent points, naming the epoch and batch): exit 2 with its message (the settings,
 *       e.g. the learning rate, or the data need changing; the run directory keeps what was written before);</li>
 *   <li>a failed download ({@link gear.data.DownloadException}): exit 1;</li>
 *   <li>any other I/O failure (a missing, unreadable or binary file, an output path that is a file or
 *       read-only, a full disk): exit 2 naming the path (for errors that carry none, the files the
 *       command was given);</li>
 *   <li>out of memory, Java heap or native: exit 1 naming what ran out and the options of this
 *       command that bound memory;</li>
 *   <li>an error inside libtorch: exit 1 with the first line of its message (the C++ frames left out);</li>
 *   <li>anything else: exit 1 with the exception.</li>
 * </ul>
 */
final class ErrorReport {
    /** Options that bound a command's memory, in the order they are suggested. */
    private static final List<String> MEMORY_OPTIONS = List.of("--batch-size", "--hidden-size", "--ffn-hidden-size",
            "--latent-size", "--curv-subset", "--workers", "--threads");

    /** Names of options that are outputs or model files, not text inputs. */
    private static final java.util.regex.Pattern OUTPUT_OPTION = java.util.regex.Pattern.compile("out|pred|save|model");

    private ErrorReport() {}

    /** Prints the message for {@code ex} raised by {@code cmd} and returns the exit code. */
    static int handle(Throwable ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        String prefix = cmd.getCommandSpec().qualifiedName() + ": ";
        String line;
        int code;
        Throwable bad = find(ex, BadInputException.class);
        if (bad == null) {
            bad = find(ex, gear.train.TrainingDivergedException.class);
        }
        if (bad == null) {
            bad = find(ex, IllegalArgumentException.class);
        }
        OutOfMemoryError oom = find(ex, OutOfMemoryError.class);
        Throwable io = ioCause(ex);
        Throwable nat = nativeCause(ex);
        if (bad != null) {
            line = "error: " + bad.getMessage();
            code = Main.EXIT_BAD_INPUT;
        } else if (oom != null) {
            line = "failed: out of memory (Java heap: " + oom.getMessage() + "); " + bounds(cmd)
                    + ", or give Java more heap with GEAR_JAVA_OPTS=-Xmx<size>";
            code = Main.EXIT_FAILED;
        } else if (io instanceof gear.data.DownloadException) {
            line = "failed: download: " + firstLine(io.getMessage());
            code = Main.EXIT_FAILED;
        } else if (io != null) {
            line = "error: " + describeIo(io, parsed);
            code = Main.EXIT_BAD_INPUT;
        } else if (nat != null && isNativeOom(nat)) {
            line = "failed: out of native memory in libtorch (" + firstLine(nat.getMessage()) + "); " + bounds(cmd);
            code = Main.EXIT_FAILED;
        } else if (nat != null) {
            line = "failed: error inside libtorch: " + firstLine(nat.getMessage())
                    + " (run with GEAR_JAVA_OPTS=-Dgear.debug=true for the native frames)";
            code = Main.EXIT_FAILED;
        } else {
            line = "failed: " + oneLine(ex);
            code = Main.EXIT_FAILED;
        }
        cmd.getErr().println(prefix + line);
        if (Boolean.getBoolean("gear.debug")) {
            ex.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
        return code;
    }

    private static String bounds(CommandLine cmd) {
        List<String> opts = new ArrayList<>();
        for (String o : MEMORY_OPTIONS) {
            if (cmd.getCommandSpec().findOption(o) != null) {
                opts.add(o);
            }
        }
        return opts.isEmpty() ? "use a smaller input" : "lower " + String.join(" or ", opts);
    }

    /** @return the first throwable of the given type in the cause chain, or null */
    static <T extends Throwable> T find(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Throwable ioCause(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return t;
            }
            if (t instanceof UncheckedIOException u && u.getCause() != null) {
                return u.getCause();
            }
        }
        return null;
    }

    /** @return the exception thrown by a libtorch call (JavaCPP turns C++ exceptions into RuntimeException) */
    private static Throwable nativeCause(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            StackTraceElement[] st = t.getStackTrace();
            if (st.length > 0 && st[0].getClassName().startsWith("org.bytedeco.") && st[0].isNativeMethod()) {
                return t;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("Exception raised from") || m.contains("c10::Error"))) {
                return t;
            }
        }
        return null;
    }

    private static boolean isNativeOom(Throwable t) {
        String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("out of memory") || m.contains("can't allocate memory") || m.contains("bad_alloc")
                || m.contains("std::bad_alloc");
    }

    /** @return a one-line description of an I/O failure that names the path */
    static String describeIo(Throwable io, CommandLine.ParseResult parsed) {
        if (io instanceof FileSystemException fs && fs.getFile() != null) {
            String what;
            if (io instanceof NoSuchFileException) {
                what = "no such file or directory";
            } else if (io instanceof AccessDeniedException) {
                what = "permission denied";
            } else if (io instanceof FileAlreadyExistsException) {
                what = "exists and is not a directory (or is in the way of one)";
            } else if (io instanceof NotDirectoryException) {
                what = "not a directory";
            } else if (io instanceof DirectoryNotEmptyException) {
                what = "directory not empty";
            } else {
                what = fs.getReason() != null ? fs.getReason() : io.getClass().getSimpleName();
            }
            String other = fs.getOtherFile() != null ? " (moving to " + fs.getOtherFile() + ")" : "";
            return fs.getFile() + other + ": " + what;
        }
        String msg = io instanceof CharacterCodingException ? "not UTF-8 text (is it a binary file?)" : io.getMessage();
        List<String[]> files = givenFiles(parsed);
        if (io instanceof CharacterCodingException) {
            files.removeIf(f -> OUTPUT_OPTION.matcher(f[0]).find()); // decoding errors come from reading text inputs
        } else if (msg != null && msg.contains("Is a directory")) {
            List<String[]> dirs = new ArrayList<>(files);
            dirs.removeIf(f -> !java.nio.file.Files.isDirectory(Path.of(f[1])) || f[0].matches(".*(out|save).*"));
            if (!dirs.isEmpty()) {
                files = dirs; // the directory given where a file was expected
            }
        }
        if (msg != null && files.stream().anyMatch(f -> msg.contains(f[1]))) {
            return firstLine(msg);
        }
        List<String> named = new ArrayList<>();
        for (String[] f : files) {
            named.add(f[0].isEmpty() ? f[1] : f[0] + " " + f[1]);
        }
        String what = io instanceof CharacterCodingException ? msg : "I/O error: " + firstLine(msg);
        return (named.isEmpty() ? "" : String.join(", ", named) + ": ") + what;
    }

    /** @return the file and directory arguments given to the command: {option name or "", value} */
    private static List<String[]> givenFiles(CommandLine.ParseResult parsed) {
        List<String[]> r = new ArrayList<>();
        if (parsed == null) {
            return r;
        }
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (OptionSpec o : p.matchedOptions()) {
                if (Path.class.isAssignableFrom(o.type()) || File.class.isAssignableFrom(o.type())) {
                    Object v = o.getValue();
                    if (v != null) {
                        r.add(new String[] {o.longestName(), String.valueOf(v)});
                    }
                }
            }
            for (var pp : p.matchedPositionals()) {
                if (Path.class.isAssignableFrom(pp.type()) || File.class.isAssignableFrom(pp.type())) {
                    Object v = pp.getValue();
                    if (v != null) {
                        r.add(new String[] {"", String.valueOf(v)});
                    }
                }
            }
        }
        return r;
    }

    private static String oneLine(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage()));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        String l = s.strip().lines().findFirst().orElse("").strip();
        return l.length() > 300 ? l.substring(0, 300) + "..." : l;
    }
}
