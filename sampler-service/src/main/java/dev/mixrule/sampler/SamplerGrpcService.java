package dev.mixrule.sampler;

import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.GetExperimentRequest;
import dev.mixrule.proto.SamplerGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/** The Sampler gRPC service: create and read experiments. */
@GrpcService
@Blocking
public class SamplerGrpcService extends SamplerGrpc.SamplerImplBase {
    private final ExperimentRunner runner;

    public SamplerGrpcService(ExperimentRunner runner) {
        this.runner = runner;
    }

    @Override
    public void createExperiment(ExperimentSpec spec, StreamObserver<Experiment> out) {
        try {
            out.onNext(runner.create(spec));
            out.onCompleted();
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        } catch (IllegalStateException e) {
            out.onError(Status.ALREADY_EXISTS.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public void getExperiment(GetExperimentRequest req, StreamObserver<Experiment> out) {
        runner.get(req.getExperimentId()).ifPresentOrElse(e -> {
            out.onNext(e);
            out.onCompleted();
        }, () -> out.onError(Status.NOT_FOUND.withDescription("no experiment '" + req.getExperimentId() + "'")
                .asRuntimeException()));
    }
}
