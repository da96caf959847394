package dev.stratus.dataplane.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.DataType;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.pipeline.ocr.RgbImage;
import dev.stratus.dataplane.pipeline.ocr.TextBox;
import dev.stratus.dataplane.protocol.ProtocolException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The OCR pipeline's input forms and answer layout (the processing itself: the ocr package's tests). */
class OcrProgramTest {
    static byte[] png(int w, int h) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    static Tensor raw(long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        return new Tensor(OcrProgram.IMAGE, DataType.UINT8, shape, ByteBuffer.allocate(n));
    }

    /** inputs -> the image's width and height. */
    static Stream<Arguments> images() throws Exception {
        return Stream.of(
                Arguments.of(List.of(Tensor.bytes("image", new long[] {1}, List.of(png(7, 5)))), 7, 5),
                Arguments.of(List.of(raw(5, 7, 3)), 7, 5),
                Arguments.of(List.of(raw(1, 5, 7, 3)), 7, 5));
    }

    @ParameterizedTest
    @MethodSource("images")
    void theImageComesAsPngOrJpegBytesOrRawRgb(List<Tensor> inputs, int w, int h) {
        RgbImage img = OcrProgram.image(inputs);
        assertEquals(w, img.width());
        assertEquals(h, img.height());
    }

    /** inputs -> what the 400 says. */
    static Stream<Arguments> badInputs() throws Exception {
        return Stream.of(
                Arguments.of(List.of(), "takes one input 'image'"),
                Arguments.of(List.of(raw(5, 7, 3), new Tensor("x", DataType.UINT8, new long[] {1},
                        ByteBuffer.allocate(1))), "takes only the input 'image'"),
                Arguments.of(List.of(Tensor.bytes("image", new long[] {2}, List.of(png(2, 2), png(2, 2)))),
                        "one image per request, got 2"),
                Arguments.of(List.of(Tensor.bytes("image", new long[] {1}, List.of("hello".getBytes()))),
                        "neither PNG nor JPEG"),
                Arguments.of(List.of(raw(5, 7, 4)), "raw RGB (UINT8 [H, W, 3])"),
                Arguments.of(List.of(new Tensor("image", DataType.FP32, new long[] {1, 1, 3}, ByteBuffer.allocate(12))),
                        "got FP32[1, 1, 3]"));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputsAreTheClientsError(List<Tensor> inputs, String message) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> OcrProgram.image(inputs));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void theAnswerHoldsTextBoxesAndScoresPerLine() {
        TextBox box = new TextBox(List.of(new TextBox.Point(1, 2), new TextBox.Point(9, 2), new TextBox.Point(9, 6),
                new TextBox.Point(1, 6)), 0.9);
        List<Tensor> out = OcrProgram.answer(List.of(new OcrProgram.TextLine("héllo", box, 0.75),
                new OcrProgram.TextLine("b", box, 1)));
        assertEquals(List.of("text", "boxes", "scores"), out.stream().map(Tensor::name).toList());
        assertEquals("héllo", new String(out.get(0).bytesElements().get(0), StandardCharsets.UTF_8));
        assertArrayEquals(new long[] {2, 4, 2}, out.get(1).shape());
        assertEquals(9f, out.get(1).data().getFloat(8)); // line 0, corner 1 (top right), x
        assertEquals(0.75f, out.get(2).data().getFloat(0));
        assertArrayEquals(new long[] {0}, OcrProgram.answer(List.of()).get(0).shape());
    }
}
