package gear.train;

import gear.nn.Torch;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;

/**
 * Where a model came from (Tribuo-style provenance), stored in every model file.
 *
 * @param dataSha256 SHA-256 of the training data file (hex), or "" when unknown
 * @param seed the training seed
 * @param gearVersion version of gear that trained the model
 * @param libtorchVersion version of libtorch that trained it
 * @param created UTC time of creation, ISO-8601
 */
public record Provenance(String dataSha256, long seed, String gearVersion, String libtorchVersion, String created) {

    /** @return the provenance of a model trained now by this build */
    public static Provenance now(String dataSha256, long seed) {
        return new Provenance(dataSha256 == null ? "" : dataSha256, seed, buildVersion(), Torch.version(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /**
     * @return this build's version (from {@code /gear/version.properties}), with the commit it was built from as
     *     build metadata when the build saw one: {@code 0.1.0+0123456789}, {@code +0123456789.dirty} when the
     *     working tree had uncommitted changes; "unknown" when the file is missing
     */
    public static String buildVersion() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("/gear/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            p.load(in);
        } catch (java.io.IOException e) {
            return "unknown";
        }
        return versionOf(p);
    }

    /** The version string of {@link #buildVersion()} from the properties of a build (package-private for tests). */
    static String versionOf(Properties p) {
        String version = p.getProperty("version", "unknown");
        String commit = p.getProperty("commit", "");
        if (commit.isBlank() || commit.contains("${")) { // built outside a git checkout: the placeholder stays
            return version;
        }
        return version + "+" + commit + ("true".equals(p.getProperty("dirty")) ? ".dirty" : "");
    }

    /** @return the JSON form stored in model files: data_sha256, seed, gear_version, libtorch_version, created */
    public com.fasterxml.jackson.databind.node.ObjectNode toJson(com.fasterxml.jackson.databind.ObjectMapper json) {
        com.fasterxml.jackson.databind.node.ObjectNode pv = json.createObjectNode();
        pv.put("data_sha256", dataSha256);
        pv.put("seed", seed);
        pv.put("gear_version", gearVersion);
        pv.put("libtorch_version", libtorchVersion);
        pv.put("created", created);
        return pv;
    }

    /** Parses the form written by {@link #toJson}; missing fields read as empty strings and seed 0. */
    public static Provenance fromJson(com.fasterxml.jackson.databind.JsonNode pv) {
        return new Provenance(pv.path("data_sha256").asText(""), pv.path("seed").asLong(),
                pv.path("gear_version").asText(""), pv.path("libtorch_version").asText(""), pv.path("created").asText(""));
    }
}
