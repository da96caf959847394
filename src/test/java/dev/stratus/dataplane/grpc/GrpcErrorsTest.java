package dev.stratus.dataplane.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GrpcErrorsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "input 'x' has no 'datatype'|input 'x' has no 'datatype'",
            "100% full|100%25 full",
            "tab\there|tab%09here",
            "café|caf%C3%A9"})
    void statusMessagesArePercentEncodedForTheHeader(String message, String header) {
        assertEquals(header, GrpcErrors.headerMessage(message));
    }
}
