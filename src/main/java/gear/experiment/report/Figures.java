package gear.experiment.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The PNG figures of a run directory, inlined as {@code data:} URIs. Files directly in the directory
 * come first, then those in its sub-directories up to {@link #MAX_DEPTH} levels down (a grid's
 * {@code cells/ID/*.png}), each group sorted by path; at most {@link #MAX_IMAGES} images and at most
 * {@link #MAX_BYTES} bytes per image are inlined, and the page says what was left out.
 */
public final class Figures {
    /** How deep below the run directory PNG files are looked for (1 = the directory itself). */
    public static final int MAX_DEPTH = 3;
    /** The most images one page inlines. */
    public static final int MAX_IMAGES = 100;
    /** The largest PNG file inlined. */
    public static final long MAX_BYTES = 20L << 20;
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private Figures() {}

    /**
     * The figures section.
     *
     * @param dir the run directory
     * @param exclude a file never to include (e.g. the report itself), or null
     * @return the XHTML fragment and the number of images inlined
     * @throws IOException if the directory cannot be listed
     */
    public static Rendered render(Path dir, Path exclude) throws IOException {
        return render(dir, exclude == null ? Set.of() : Set.of(exclude));
    }

    /**
     * The figures section without some files (the report itself, figures shown in other sections).
     *
     * @param exclude files never to include
     * @throws IOException if the directory cannot be listed
     */
    public static Rendered render(Path dir, Set<Path> exclude) throws IOException {
        return render(dir, exclude, MAX_DEPTH);
    }

    /**
     * The figures section over PNG files at most {@code depth} levels down (1 = the directory itself).
     *
     * @param exclude files never to include
     * @throws IOException if the directory cannot be listed
     */
    public static Rendered render(Path dir, Set<Path> exclude, int depth) throws IOException {
        Set<Path> ex = new HashSet<>();
        exclude.forEach(p -> ex.add(p.toAbsolutePath().normalize()));
        List<Path> all = find(dir, depth);
        Rendered r = inline(dir, all.stream().filter(p -> !ex.contains(p.toAbsolutePath().normalize())).toList());
        return all.isEmpty() ? new Rendered(r.xhtml() + Html.note("No PNG files in this directory."), r.images()) : r;
    }

    /**
     * Inlines the given PNG files in order, at most {@link #MAX_IMAGES} and each at most
     * {@link #MAX_BYTES}; a note lists what was left out (too many, too large, unreadable, not a PNG).
     *
     * @param dir the run directory (captions are paths relative to it)
     * @param pngs the files
     */
    public static Rendered inline(Path dir, List<Path> pngs) {
        StringBuilder b = new StringBuilder();
        int shown = 0;
        List<String> skipped = new ArrayList<>();
        for (Path p : pngs) {
            String rel = dir.relativize(p).toString().replace('\\', '/');
            if (shown >= MAX_IMAGES) {
                skipped.add(rel + " (more than " + MAX_IMAGES + " images)");
                continue;
            }
            byte[] bytes;
            try {
                if (Files.size(p) > MAX_BYTES) {
                    skipped.add(rel + " (larger than " + (MAX_BYTES >> 20) + " MiB)");
                    continue;
                }
                bytes = Files.readAllBytes(p);
            } catch (IOException e) {
                skipped.add(rel + " (unreadable: " + e.getMessage() + ")");
                continue;
            }
            if (!isPng(bytes)) {
                skipped.add(rel + " (not a PNG file)");
                continue;
            }
            b.append("<figure><img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(bytes))
                    .append("\" alt=\"").append(Html.esc(rel)).append("\"/><figcaption>").append(Html.esc(rel))
                    .append("</figcaption></figure>\n");
            shown++;
        }
        if (!skipped.isEmpty()) {
            b.append(Html.note(skipped.size() + " PNG file(s) not shown:"));
            b.append("<ul>\n");
            for (String s : skipped.subList(0, Math.min(50, skipped.size()))) {
                b.append(Html.el("li", s)).append('\n');
            }
            if (skipped.size() > 50) {
                b.append(Html.el("li", "… and " + (skipped.size() - 50) + " more")).append('\n');
            }
            b.append("</ul>\n");
        }
        return new Rendered(b.toString(), shown);
    }

    /**
     * The figures fragment.
     *
     * @param xhtml the fragment
     * @param images how many images it inlines
     */
    public record Rendered(String xhtml, int images) {}

    /** @return the PNG files (by name, case-insensitive) in report order */
    static List<Path> find(Path dir) throws IOException {
        return find(dir, MAX_DEPTH);
    }

    /** @return the PNG files at most {@code depth} levels down, in report order */
    static List<Path> find(Path dir, int depth) throws IOException {
        try (Stream<Path> s = Files.walk(dir, depth)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png"))
                    .sorted(Comparator.comparingInt((Path p) -> dir.relativize(p).getNameCount())
                            .thenComparing(p -> dir.relativize(p).toString()))
                    .toList();
        }
    }

    private static boolean isPng(byte[] b) {
        if (b.length < PNG_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < PNG_MAGIC.length; i++) {
            if (b[i] != PNG_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
