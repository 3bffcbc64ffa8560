package dev.mixrule.sampler;

import dev.mixrule.kernel.rpc.UnaryCalls;
import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.GetExperimentRequest;
import dev.mixrule.proto.ListExperimentsRequest;
import dev.mixrule.proto.ListExperimentsResponse;
import dev.mixrule.proto.ResumeExperimentRequest;
import dev.mixrule.proto.SamplerGrpc;
import dev.mixrule.proto.StopExperimentRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import java.util.function.Supplier;
import redis.clients.jedis.exceptions.JedisException;

/** The Sampler gRPC service: create, read, list, stop and resume experiments. */
@GrpcService
@Blocking
public class SamplerGrpcService extends SamplerGrpc.SamplerImplBase {
    private final ExperimentRunner runner;

    public SamplerGrpcService(ExperimentRunner runner) {
        this.runner = runner;
    }

    @Override
    public void createExperiment(ExperimentSpec spec, StreamObserver<Experiment> out) {
        answer(out, () -> runner.create(spec));
    }

    @Override
    public void getExperiment(GetExperimentRequest req, StreamObserver<Experiment> out) {
        answer(out, () -> runner.get(req.getExperimentId()).orElseThrow(() -> new SamplerException.NotFound(
                "no experiment '" + req.getExperimentId() + "'; list them with: ./mixrule experiment list")));
    }

    @Override
    public void listExperiments(ListExperimentsRequest req, StreamObserver<ListExperimentsResponse> out) {
        answer(out, () -> ListExperimentsResponse.newBuilder().addAllExperiments(runner.list(req.getState())).build());
    }

    @Override
    public void stopExperiment(StopExperimentRequest req, StreamObserver<Experiment> out) {
        answer(out, () -> runner.stop(req.getExperimentId()));
    }

    @Override
    public void resumeExperiment(ResumeExperimentRequest req, StreamObserver<Experiment> out) {
        answer(out, () -> runner.resume(req.getExperimentId()));
    }

    private static <T> void answer(StreamObserver<T> out, Supplier<T> call) {
        UnaryCalls.answer(out, call, e -> e instanceof JedisException ? Status.UNAVAILABLE.withDescription(
                "the sampler's Redis is unreachable (" + e.getMessage() + "); check mixrule.redis.url and that Redis runs") : null);
    }
}
