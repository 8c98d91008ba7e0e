package gear.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaTest {
    static final Opt<Integer> LATENT = Opt.integer("latent_size", 16, 1, "d_z");
    static final Opt<Double> W_CURV = Opt.real("w_curv", 1e-3, 0.0, "", "epsilon");
    static final Opt<Double> LR = Opt.real("max_lr", 1e-3, Double.MIN_VALUE, "", "peak");
    static final Opt<String> ROUTE = Opt.choice("curv_route", "gauss", List.of("gauss", "intrinsic"), "route");
    static final Schema SCHEMA = new Schema("test", List.of(LATENT, W_CURV, LR, ROUTE));

    @Test
    void keysInAnySpellingAndTheClosestKeyForAnUnknownOne() {
        assertEquals(W_CURV, SCHEMA.get("--w-curv"));
        assertEquals(W_CURV, SCHEMA.get("W_Curv"));
        UnknownOptionException e = assertThrows(UnknownOptionException.class, () -> SCHEMA.get("lambda_curv"));
        assertEquals("w_curv", e.closest());
        assertEquals("unknown test option 'lambda_curv' (did you mean 'w_curv'?)", e.getMessage());
        assertEquals("latent_size", assertThrows(UnknownOptionException.class, () -> SCHEMA.get("latnet_size")).closest());
        assertEquals("curv_route", Schema.closest("curve-route", List.of("curv_route", "curv_subset", "w_curv")));
        assertThrows(UnknownOptionException.class, () -> SCHEMA.checkKeys(List.of("w_curv", "nope")));
    }

    @Test
    void valuesAreValidatedWithTheFlagAndTheRule() {
        Values v = Values.defaults(SCHEMA);
        assertEquals(16, v.get(LATENT));
        assertEquals(8, v.with("latent-size", "8").get(LATENT));
        assertEquals("--latent-size must be an integer ≥ 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> v.with("latent_size", "0")).getMessage());
        assertEquals("--latent-size must be an integer ≥ 1, got 'x'",
                assertThrows(IllegalArgumentException.class, () -> v.with("latent_size", "x")).getMessage());
        assertEquals("--max-lr must be a finite number > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> v.with("max_lr", "0")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> v.with("w_curv", "NaN"));
        assertEquals("intrinsic", v.with("curv_route", "Intrinsic").get(ROUTE));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> v.with("curv_route", "euler")).getMessage()
                .contains("one of gauss, intrinsic"));
        // all keys are checked before any is set
        assertThrows(UnknownOptionException.class, () -> v.with(Map.of("latent_size", "4", "oops", "1")));
    }

    @Test
    void jsonRoundTripAndAbsentKeysTakeDefaults() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Values v = Values.defaults(SCHEMA).with(W_CURV, 0.25).with(ROUTE, "intrinsic");
        assertEquals(v, Values.fromJson(SCHEMA, v.toJson(json)));
        Values partial = Values.fromJson(SCHEMA, json.readTree("{\"latent_size\": 4}"));
        assertEquals(4, partial.get(LATENT));
        assertEquals(1e-3, partial.get(W_CURV));
        assertThrows(UnknownOptionException.class, () -> Values.fromJson(SCHEMA, json.readTree("{\"w_curve\": 1}")));
        assertEquals("--w-curv", W_CURV.flag());
        assertTrue(W_CURV.help().contains("(default: 0.001)"), W_CURV.help());
    }
}
