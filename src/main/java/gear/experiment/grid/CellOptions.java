package gear.experiment.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.config.Schema;
import gear.transfer.TransferSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The options a finished grid cell trained with, for the task sets' check that a pair cell ran under the protocol and
 * tuned values of the k-task cell it is compared with ({@link PairCellCheck}, {@link TaskSets}). Read, in this order:
 * <ol>
 *   <li>from the cell's own {@code config.json} (the run's record: every option of {@link TransferSchema#SCHEMA},
 *       flat, and the {@value Tuned#MARKER} marker of {@code gear benchmark --tuned});</li>
 *   <li>else from its grid's {@code config.json}, resolved as the grid resolves a cell's options
 *       ({@link GridConfig#cellOptions}, {@link CellRunner#resolvedOptions}), and only when that reproduces the
 *       fingerprint the cell recorded: the fingerprint covers exactly these values, so they are the ones it ran with
 *       (a cell of other defaults, e.g. of an older version, is not guessed);</li>
 *   <li>else unknown (null).</li>
 * </ol>
 * The map holds the options under their snake_case keys and the tuned values' file hash under {@link #TUNED_SHA256}
 * when the cell was run with tuned values; the device is left out (where a cell trains is not a setting of its result).
 */
final class CellOptions {
    /** Key of the SHA-256 of the tuned values' file ({@code gear benchmark --tuned}) the cell ran with. */
    static final String TUNED_SHA256 = "tuned values' file (sha256)";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Path, GridConfig> grids = new HashMap<>();
    private final Map<String, Map<String, String>> cells = new HashMap<>();

    /**
     * @param row the cell's row
     * @param cellDir its directory (null: none known)
     * @param gridDir its grid's directory (null: none known)
     * @return the options it ran with (cached per cell), or null when they cannot be known
     */
    Map<String, String> of(ResultRow row, Path cellDir, Path gridDir) {
        String id = cellDir != null ? cellDir.toString() : gridDir + "|" + row.cell();
        if (!cells.containsKey(id)) {
            Map<String, String> m = cellDir == null ? null : fromRun(cellDir.resolve("config.json"));
            cells.put(id, m != null ? m : fromGrid(row, gridDir));
        }
        return cells.get(id);
    }

    /** @return the options recorded in a run's config.json, or null without one (or one without options) */
    private static Map<String, String> fromRun(Path config) {
        if (!Files.isRegularFile(config)) {
            return null;
        }
        JsonNode c;
        try {
            c = JSON.readTree(config.toFile());
        } catch (IOException e) {
            return null;
        }
        if (c == null || !c.isObject()) {
            return null;
        }
        Map<String, String> m = new TreeMap<>();
        TransferSchema.SCHEMA.options().forEach(o -> {
            JsonNode v = c.get(o.key());
            if (v != null && v.isValueNode() && !v.isNull()) {
                m.put(o.key(), v.asText());
            }
        });
        if (m.isEmpty()) {
            return null;
        }
        TransferSchema.LEGACY.forEach((o, v) -> m.putIfAbsent(o.key(), v)); // a run from before the option: its value
        JsonNode sha = c.path(Tuned.MARKER).path("chosen_sha256");
        if (sha.isTextual()) {
            m.put(TUNED_SHA256, sha.asText());
        }
        return m;
    }

    /** @return the options the grid's config.json resolves for the row's cell, if they give its recorded fingerprint */
    private Map<String, String> fromGrid(ResultRow row, Path gridDir) {
        GridConfig cfg = gridDir == null ? null : grids.computeIfAbsent(gridDir, CellOptions::config);
        if (cfg == null || row.fingerprint() == null) {
            return null;
        }
        try {
            CellKey key = row.key();
            CellRunner runner = CellRunners.resolver(cfg.runnerClass());
            if (!cfg.fingerprint(key, runner).equals(row.fingerprint())) {
                return null;
            }
            Map<String, String> m = new TreeMap<>();
            Map<String, String> resolved = runner.resolvedOptions(cfg.pair(key.pair()), key.method(), cfg.cellOptions(key));
            resolved.forEach((k, v) -> {
                String n = Schema.normalize(k);
                if (n.equals(Tuned.MARKER)) {
                    JsonNode sha = Tuned.marker(resolved).path("chosen_sha256");
                    if (sha.isTextual()) {
                        m.put(TUNED_SHA256, sha.asText());
                    }
                } else if (!n.equals(gear.train.TrainOptions.DEVICE.key())) {
                    m.put(n, v);
                }
            });
            TransferSchema.LEGACY.forEach((o, v) -> m.putIfAbsent(o.key(), v)); // left out of the fingerprint at this value
            return m;
        } catch (RuntimeException e) { // a pair or option this version does not know: not reproducible here
            return null;
        }
    }

    private static GridConfig config(Path gridDir) {
        Path f = gridDir.resolve("config.json");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return GridConfig.fromJson(JSON.readTree(f.toFile()));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * @return "key a against b" for every key both maps hold with other values (numbers compared as numbers), in key
     *     order; empty when they agree
     */
    static List<String> differences(Map<String, String> a, Map<String, String> b) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(a).entrySet()) {
            String other = b.get(e.getKey());
            if (other != null && !same(e.getValue(), other)) {
                out.add(e.getKey() + " " + e.getValue() + " against " + other);
            }
        }
        return out;
    }

    private static boolean same(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
