package io.jenkins.plugins.runidentity.bench;

import org.openjdk.jmh.annotations.Param;

/** A {@link BenchFixture} run once per signing algorithm; the engine's issuer for it is {@link #issuer}. */
public abstract class AlgorithmFixture extends BenchFixture {
    @Param({"RS256", "ES256"})
    public String alg;

    /** The issuer id of {@link BenchSupport#config()} that signs with {@link #alg}. */
    protected String issuer() {
        return BenchSupport.issuerId(alg);
    }
}
