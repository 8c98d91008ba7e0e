package gear.demo;

/**
 * The 41 groups of the Joback–Reid method with their contributions to the normal boiling point
 * ({@code tb}, K) and to the critical temperature ({@code tc}, dimensionless).
 *
 * <p>Values: K. G. Joback and R. C. Reid, "Estimation of pure-component properties from
 * group-contributions", Chem. Eng. Commun. 57 (1987) 233–243, as tabulated in B. E. Poling,
 * J. M. Prausnitz and J. P. O'Connell, <i>The Properties of Gases and Liquids</i>, 5th ed.
 * (McGraw-Hill, 2001), Table 2-2. The {@code =NH} group has no published {@code tc} contribution
 * (its entry is blank in the table); it is {@link Double#NaN} here and {@link #hasTc()} is false.
 */
public enum JobackGroup {
    // non-ring carbon
    CH3("-CH3", 23.58, 0.0141),
    CH2("-CH2-", 22.88, 0.0189),
    CH(">CH-", 21.74, 0.0164),
    C(">C<", 18.25, 0.0067),
    EQ_CH2("=CH2", 18.18, 0.0113),
    EQ_CH("=CH-", 24.96, 0.0129),
    EQ_C("=C<", 24.14, 0.0117),
    EQ_C_EQ("=C=", 26.15, 0.0026),
    TR_CH("#CH", 9.20, 0.0027),
    TR_C("#C-", 27.38, 0.0020),
    // ring carbon
    RING_CH2("-CH2- (ring)", 27.15, 0.0100),
    RING_CH(">CH- (ring)", 21.78, 0.0122),
    RING_C(">C< (ring)", 21.32, 0.0042),
    RING_EQ_CH("=CH- (ring)", 26.73, 0.0082),
    RING_EQ_C("=C< (ring)", 31.01, 0.0143),
    // halogens
    F("-F", -0.03, 0.0111),
    CL("-Cl", 38.13, 0.0105),
    BR("-Br", 66.86, 0.0133),
    I("-I", 93.84, 0.0068),
    // oxygen
    OH_ALCOHOL("-OH (alcohol)", 92.88, 0.0741),
    OH_PHENOL("-OH (phenol)", 76.34, 0.0240),
    O("-O- (non-ring)", 22.42, 0.0168),
    RING_O("-O- (ring)", 31.22, 0.0098),
    CO(">C=O (non-ring)", 76.75, 0.0380),
    RING_CO(">C=O (ring)", 94.97, 0.0284),
    CHO("O=CH- (aldehyde)", 72.24, 0.0379),
    COOH("-COOH (acid)", 169.09, 0.0791),
    COO("-COO- (ester)", 81.10, 0.0481),
    EQ_O("=O (other)", -10.50, 0.0143),
    // nitrogen
    NH2("-NH2", 73.23, 0.0243),
    NH(">NH (non-ring)", 50.17, 0.0295),
    RING_NH(">NH (ring)", 52.82, 0.0130),
    N(">N- (non-ring)", 11.74, 0.0169),
    EQ_N("-N= (non-ring)", 74.60, 0.0255),
    RING_EQ_N("-N= (ring)", 57.55, 0.0085),
    EQ_NH("=NH", 83.08, Double.NaN),
    CN("-CN", 125.66, 0.0496),
    NO2("-NO2", 152.54, 0.0437),
    // sulfur
    SH("-SH", 63.56, 0.0031),
    S("-S- (non-ring)", 68.78, 0.0119),
    RING_S("-S- (ring)", 52.10, 0.0019);

    private final String label;
    private final double tb;
    private final double tc;

    JobackGroup(String label, double tb, double tc) {
        this.label = label;
        this.tb = tb;
        this.tc = tc;
    }

    /** @return the group as written in the table, e.g. {@code ">CH- (ring)"} */
    public String label() {
        return label;
    }

    /** @return the contribution tb_k to the normal boiling point, in K */
    public double tb() {
        return tb;
    }

    /** @return the contribution tc_k to the critical temperature (dimensionless); NaN where none is published */
    public double tc() {
        return tc;
    }

    /** @return whether the table gives a critical-temperature contribution for this group */
    public boolean hasTc() {
        return !Double.isNaN(tc);
    }
}
