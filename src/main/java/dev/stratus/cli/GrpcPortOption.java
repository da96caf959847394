package dev.stratus.cli;

import picocli.CommandLine.Option;

/** {@code --grpc-port}, shared by the commands that serve the Open Inference Protocol (worker, serve, gateway). */
public class GrpcPortOption {
    @Option(names = "--grpc-port", paramLabel = "PORT",
            description = "Also serve the Open Inference Protocol over gRPC (inference.GRPCInferenceService) on this "
                    + "port; 0 = a free port. Off when not given.")
    Integer grpcPort;

    /** Sets {@code property} when the option was given, after checking it against the HTTP port. */
    void apply(String property, int httpPort) {
        if (grpcPort == null) {
            return;
        }
        if (grpcPort < 0 || grpcPort > 65535 || grpcPort == httpPort && httpPort != 0) {
            throw new UserException("--grpc-port must be 0..65535 and differ from --port, got " + grpcPort);
        }
        System.setProperty(property, Integer.toString(grpcPort));
    }
}
