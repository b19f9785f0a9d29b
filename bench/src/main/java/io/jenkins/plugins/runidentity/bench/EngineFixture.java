package io.jenkins.plugins.runidentity.bench;

import io.jenkins.plugins.runidentity.core.MintRequest;
import io.jenkins.plugins.runidentity.core.RunFacts;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;

/**
 * An engine started on the trial's folder with {@link BenchSupport#config()}, and the request and run facts every
 * mint of the benchmarks uses.
 */
public abstract class EngineFixture extends AlgorithmFixture {
    protected RunIdentityEngine engine;
    protected MintRequest request;
    protected RunFacts facts;

    @Override
    protected final void prepare() throws Exception {
        beforeStart();
        engine = BenchSupport.engine(dir);
        request = BenchSupport.request(alg);
        facts = BenchSupport.facts();
        afterStart();
    }

    /** What the folder must hold before the engine starts on it (e.g. earlier runs' records). */
    protected void beforeStart() throws Exception {}

    /** What the benchmark needs from the started engine (e.g. tokens to verify). */
    protected void afterStart() throws Exception {}

    @Override
    protected void release() {
        if (engine != null) {
            engine.close();
        }
    }
}
