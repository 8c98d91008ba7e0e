package gear.demo;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The Joback–Reid group-contribution estimates of the normal boiling point and the critical
 * temperature of an organic molecule.
 *
 * <p>With N_k the number of groups of kind k in the molecule (see {@link JobackGroup}):
 * <pre>
 *   Tb = 198.2 + Σ_k N_k tb_k                              (K)
 *   Tc = Tb / (0.584 + 0.965 Σ_k N_k tc_k − (Σ_k N_k tc_k)²)   (K)
 * </pre>
 * Source: K. G. Joback and R. C. Reid, "Estimation of pure-component properties from
 * group-contributions", Chem. Eng. Commun. 57 (1987) 233–243; equations and table as given in
 * B. E. Poling, J. M. Prausnitz and J. P. O'Connell, <i>The Properties of Gases and Liquids</i>,
 * 5th ed. (McGraw-Hill, 2001), Section 2-2 and Table 2-2. The Tc equation takes a boiling point; the
 * textbook uses the experimental Tb where known, {@link #tc(Map, double)} accepts any, and
 * {@link Assignment#tc()} uses the Joback Tb (the method is then fully predictive).
 *
 * <p>{@link #assign(String)} splits a molecule (SMILES) into the groups. It rejects, with a reason,
 * every molecule it cannot split without guessing: other elements, charges (except in a nitro
 * group), isotopes, radicals, salts and mixtures, bonds between two heteroatoms, amides, acyl
 * halides, formates, carbonates, anhydrides, lactones, ring tertiary amines, enols, thiocarbonyls
 * and hypervalent atoms. Aromatic rings are read in their Kekulé form, so aromatic carbons count as
 * ring {@code =CH-} / {@code =C<}, pyridine-type nitrogen as ring {@code -N=}, pyrrole-type NH as
 * ring {@code >NH}, furan oxygen and thiophene sulfur as ring {@code -O-} / {@code -S-}; an OH on
 * an aromatic carbon is {@code -OH (phenol)}.
 */
public final class Joback {
    /** The constant of the boiling-point equation, in K. */
    public static final double TB_INTERCEPT = 198.2;

    private Joback() {}

    /**
     * Splits a molecule into Joback groups.
     *
     * @param smiles the molecule
     * @return the group counts, or a rejection with its reason (never throws for bad SMILES)
     */
    public static Assignment assign(String smiles) {
        return JobackAssigner.assign(smiles);
    }

    /** @return Tb = 198.2 + Σ N_k tb_k, in K */
    public static double tb(Map<JobackGroup, Integer> groups) {
        double sum = 0;
        for (Map.Entry<JobackGroup, Integer> e : groups.entrySet()) {
            sum += e.getValue() * e.getKey().tb();
        }
        return TB_INTERCEPT + sum;
    }

    /**
     * Tc = Tb / (0.584 + 0.965 Σ N_k tc_k − (Σ N_k tc_k)²).
     *
     * @param groups the group counts
     * @param tb the normal boiling point to use, in K
     * @return Tc in K; empty if a group has no published tc contribution ({@code =NH})
     */
    public static OptionalDouble tc(Map<JobackGroup, Integer> groups, double tb) {
        double s = 0;
        for (Map.Entry<JobackGroup, Integer> e : groups.entrySet()) {
            if (!e.getKey().hasTc()) {
                return OptionalDouble.empty();
            }
            s += e.getValue() * e.getKey().tc();
        }
        return OptionalDouble.of(tb / (0.584 + 0.965 * s - s * s));
    }

    /**
     * The outcome of {@link Joback#assign(String)}: the group counts of an accepted molecule, or the
     * reason it was rejected.
     *
     * @param smiles the input
     * @param counts the group counts (unmodifiable, empty when rejected)
     * @param reason why the molecule was rejected; null when accepted
     */
    public record Assignment(String smiles, Map<JobackGroup, Integer> counts, String reason) {
        /** Normalizes the counts to an unmodifiable enum map. */
        public Assignment {
            EnumMap<JobackGroup, Integer> m = new EnumMap<>(JobackGroup.class);
            m.putAll(counts);
            counts = Collections.unmodifiableMap(m);
        }

        static Assignment accepted(String smiles, Map<JobackGroup, Integer> counts) {
            return new Assignment(smiles, counts, null);
        }

        static Assignment rejected(String smiles, String reason) {
            return new Assignment(smiles, Map.of(), reason);
        }

        /** @return whether every atom was assigned to a group */
        public boolean isAccepted() {
            return reason == null;
        }

        /** @return the group counts, empty when rejected */
        public Optional<Map<JobackGroup, Integer>> groups() {
            return isAccepted() ? Optional.of(counts) : Optional.empty();
        }

        /** @return the rejection reason, empty when accepted */
        public Optional<String> rejection() {
            return Optional.ofNullable(reason);
        }

        /** @return the Joback Tb in K, empty when rejected */
        public OptionalDouble tb() {
            return isAccepted() ? OptionalDouble.of(Joback.tb(counts)) : OptionalDouble.empty();
        }

        /** @return the Joback Tc in K computed from the Joback Tb; empty when rejected or when a group lacks tc */
        public OptionalDouble tc() {
            return isAccepted() ? Joback.tc(counts, Joback.tb(counts)) : OptionalDouble.empty();
        }
    }
}
