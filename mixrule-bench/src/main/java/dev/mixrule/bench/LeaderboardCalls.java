package dev.mixrule.bench;

import dev.mixrule.proto.GetEntryRequest;
import dev.mixrule.proto.LeaderboardGrpc;
import dev.mixrule.proto.TopRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Top and GetEntry as the load generator sends them: parsed, or (the default) received as bytes. */
final class LeaderboardCalls {
    /** Responses as bytes: the load generator measures the server and the wire, not its own parsing. */
    static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream in) {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    static final MethodDescriptor<TopRequest, byte[]> TOP_RAW = LeaderboardGrpc.getTopMethod()
            .toBuilder(ProtoUtils.marshaller(TopRequest.getDefaultInstance()), RAW).build();
    static final MethodDescriptor<GetEntryRequest, byte[]> GET_RAW = LeaderboardGrpc.getGetEntryMethod()
            .toBuilder(ProtoUtils.marshaller(GetEntryRequest.getDefaultInstance()), RAW).build();

    private final boolean parseResponses;

    LeaderboardCalls(boolean parseResponses) {
        this.parseResponses = parseResponses;
    }

    void top(Channel ch, TopRequest req) {
        if (parseResponses) {
            LeaderboardGrpc.newBlockingStub(ch).top(req);
        } else {
            ClientCalls.blockingUnaryCall(ch, TOP_RAW, CallOptions.DEFAULT, req);
        }
    }

    void get(Channel ch, GetEntryRequest req) {
        if (parseResponses) {
            LeaderboardGrpc.newBlockingStub(ch).getEntry(req);
        } else {
            ClientCalls.blockingUnaryCall(ch, GET_RAW, CallOptions.DEFAULT, req);
        }
    }
}
