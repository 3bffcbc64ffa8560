package dev.mixrule.testkit;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;

/**
 * TLS for gRPC tests: one self-signed certificate for 127.0.0.1/localhost (PKCS12 key store and PEM, made once per
 * JVM with the JDK's keytool), the settings a Quarkus service needs to serve with it, a bearer token, and client
 * channels that trust it (with or without the token).
 */
public final class TestTls {
    public static final String STORE_PASSWORD = "mixrule-test-" + UUID.randomUUID();
    public static final String TOKEN = "test-token-" + UUID.randomUUID();
    private static Path dir;

    private TestTls() {}

    /** The key store, made on first use. */
    public static synchronized Path keyStore() {
        if (dir == null) {
            try {
                Path d = Files.createTempDirectory("mixrule-test-tls");
                String ks = d.resolve("server.p12").toString();
                run("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", ks,
                        "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
                run("-exportcert", "-rfc", "-alias", "server", "-keystore", ks, "-storepass", STORE_PASSWORD,
                        "-file", d.resolve("server.pem").toString());
                dir = d;
            } catch (IOException e) {
                throw new IllegalStateException("could not make the test key store with keytool: " + e.getMessage(), e);
            }
        }
        return dir.resolve("server.p12");
    }

    /** The server certificate in PEM: what a client trusts. */
    public static Path certificatePem() {
        return keyStore().resolveSibling("server.pem");
    }

    /** A TLS channel to 127.0.0.1:port trusting the test certificate; with the bearer token when withToken. */
    public static ManagedChannel channel(int port, boolean withToken) {
        try {
            NettyChannelBuilder b = NettyChannelBuilder.forAddress("127.0.0.1", port)
                    .sslContext(GrpcSslContexts.forClient().trustManager(certificatePem().toFile()).build());
            if (withToken) {
                Metadata m = new Metadata();
                m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
                b.intercept(MetadataUtils.newAttachHeadersInterceptor(m));
            }
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException("bad test certificate " + certificatePem() + ": " + e.getMessage(), e);
        }
    }

    private static void run(String... args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(Stream.concat(Stream.of(keytool.toString()),
                List.of(args).stream()).toList()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("keytool " + args[0] + ": " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
