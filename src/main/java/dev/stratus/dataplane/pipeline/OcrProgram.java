package dev.stratus.dataplane.pipeline;

import dev.stratus.core.model.DataType;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.pipeline.ocr.CharacterDictionary;
import dev.stratus.dataplane.pipeline.ocr.ImageDecoding;
import dev.stratus.dataplane.pipeline.ocr.ImageTensors;
import dev.stratus.dataplane.pipeline.ocr.RgbImage;
import dev.stratus.dataplane.pipeline.ocr.TextBox;
import dev.stratus.dataplane.pipeline.ocr.TextDetection;
import dev.stratus.dataplane.pipeline.ocr.TextRecognition;
import dev.stratus.dataplane.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The OCR pipeline ({@link dev.stratus.core.model.fleet.PipelineWiring.Processing#PPOCR}): an image in, text lines
 * out, with PP-OCR's processing between its models. The image is scaled into the detector's input; the detector's
 * probability map becomes text boxes (DB post-processing); each box is cropped from the original image and
 * straightened; with a classifier stage, every crop goes to it (one request per crop, batched at its replicas with
 * the others) and the upside-down ones are turned; every crop then goes to the recogniser, whose output is
 * CTC-decoded against the character dictionary. Lines are answered in reading order: {@code text} (BYTES, UTF-8),
 * {@code boxes} (FP32 [N, 4, 2]: the corners in image pixels, clockwise from the top left) and {@code scores}
 * (FP32 [N], the recogniser's mean character probability). Lines scoring under {@link #DROP_SCORE} are dropped,
 * as PaddleOCR does.
 */
public final class OcrProgram implements PipelineProgram {
    public static final String IMAGE = "image";
    /** PP-OCR's exported models take their image as {@code x} and have one output. */
    static final String MODEL_INPUT = "x";
    /** Sizes of the catalog's sample shapes, which the profiles (and so the plan's budgets) were measured at. */
    public static final int DETECTOR_SIDE = 320;
    public static final int LINE_HEIGHT = 48;
    public static final int CLASSIFIER_WIDTH = 192;
    public static final int RECOGNISER_WIDTH = 320;
    /** At most this many lines per image are read (each is a request to the classifier and the recogniser). */
    public static final int MAX_LINES = 64;
    public static final double DROP_SCORE = 0.5;

    private final String detector;
    private final Optional<String> classifier;
    private final String recogniser;
    private final Supplier<CharacterDictionary> dictionary;

    /**
     * @param dictionary the recogniser's characters, read when first needed (it may be fetched after start);
     *                   throws {@link ProtocolException} (503) while missing
     */
    public OcrProgram(String detector, Optional<String> classifier, String recogniser,
            Supplier<CharacterDictionary> dictionary) {
        this.detector = detector;
        this.classifier = classifier;
        this.recogniser = recogniser;
        this.dictionary = dictionary;
    }

    /** One text line on its way through the stages. */
    record Line(TextBox box, RgbImage crop) {
    }

    /** A read line. */
    public record TextLine(String text, TextBox box, double score) {
    }

    @Override
    public CompletableFuture<List<Tensor>> run(List<Tensor> inputs, StageCaller stages, Executor work) {
        RgbImage[] image = new RgbImage[1];
        double[] scale = new double[1];
        return CompletableFuture.supplyAsync(() -> {
            image[0] = image(inputs);
            ImageTensors.Detector d = ImageTensors.detector(image[0], DETECTOR_SIDE);
            scale[0] = d.scale();
            return fp32(MODEL_INPUT, new long[] {1, 3, DETECTOR_SIDE, DETECTOR_SIDE}, d.chw());
        }, work).thenCompose(x -> stages.call(detector, List.of(x)))
                .thenApplyAsync(out -> lines(only(detector, out), image[0], scale[0]), work)
                .thenCompose(lines -> classifier.isEmpty() || lines.isEmpty() ? CompletableFuture.completedFuture(lines)
                        : upright(lines, stages, work))
                .thenCompose(lines -> read(lines, stages, work))
                .thenApply(OcrProgram::answer);
    }

    /** The request's image: PNG or JPEG bytes (BYTES, one element), or raw RGB (UINT8 [H, W, 3] or [1, H, W, 3]). */
    static RgbImage image(List<Tensor> inputs) {
        Tensor t = inputs.stream().filter(i -> i.name().equals(IMAGE)).findFirst().orElseThrow(() ->
                ProtocolException.badRequest("the OCR pipeline takes one input '" + IMAGE + "' (PNG or JPEG bytes as "
                        + "BYTES [1], or raw RGB as UINT8 [H, W, 3]); got " + inputs.stream().map(Tensor::name).toList()));
        if (inputs.size() != 1) {
            throw ProtocolException.badRequest("the OCR pipeline takes only the input '" + IMAGE + "', got "
                    + inputs.stream().map(Tensor::name).toList());
        }
        try {
            if (t.datatype() == DataType.BYTES) {
                List<byte[]> elements = t.bytesElements();
                if (elements.size() != 1) {
                    throw new IllegalArgumentException("one image per request, got " + elements.size());
                }
                return ImageDecoding.decode(elements.get(0));
            }
            long[] s = t.shape();
            boolean raw = t.datatype() == DataType.UINT8 && s[s.length - 1] == 3
                    && (s.length == 3 || (s.length == 4 && s[0] == 1));
            if (!raw) {
                throw new IllegalArgumentException("expected PNG or JPEG bytes (BYTES [1]) or raw RGB (UINT8 [H, W, 3]),"
                        + " got " + t.datatype() + java.util.Arrays.toString(s));
            }
            byte[] pixels = new byte[t.byteSize()];
            t.data().get(pixels);
            return new RgbImage((int) s[s.length - 2], (int) s[s.length - 3], pixels);
        } catch (IllegalArgumentException e) {
            throw ProtocolException.badRequest("input '" + IMAGE + "': " + e.getMessage());
        }
    }

    private static Tensor only(String stage, Map<String, Tensor> outputs) {
        if (outputs.size() != 1) {
            throw new ProtocolException(502, "stage " + stage + " answered " + outputs.keySet()
                    + "; a PP-OCR model has one output");
        }
        return outputs.values().iterator().next();
    }

    /** The detector's map to boxes in image pixels and their straightened crops. */
    static List<Line> lines(Tensor map, RgbImage image, double scale) {
        long[] s = map.shape();
        if (map.datatype() != DataType.FP32 || s.length != 4 || s[2] != DETECTOR_SIDE || s[3] != DETECTOR_SIDE) {
            throw new ProtocolException(502, "the detector answered " + map + ", expected FP32 [1, 1, "
                    + DETECTOR_SIDE + ", " + DETECTOR_SIDE + "]");
        }
        float[] p = floats(map);
        List<Line> lines = new ArrayList<>();
        for (TextBox b : TextDetection.boxes(p, DETECTOR_SIDE, DETECTOR_SIDE, TextDetection.DEFAULTS)) {
            if (lines.size() == MAX_LINES) {
                break;
            }
            TextBox inImage = b.unscaled(scale, image.width(), image.height());
            if (inImage.width() >= 1 && inImage.height() >= 1) {
                lines.add(new Line(inImage, ImageTensors.crop(image, inImage)));
            }
        }
        return lines;
    }

    /** Every crop to the classifier at once; the upside-down ones turned. */
    private CompletableFuture<List<Line>> upright(List<Line> lines, StageCaller stages, Executor work) {
        List<CompletableFuture<Line>> each = new ArrayList<>();
        for (Line l : lines) {
            each.add(CompletableFuture.supplyAsync(() -> fp32(MODEL_INPUT, new long[] {1, 3, LINE_HEIGHT,
                            CLASSIFIER_WIDTH}, ImageTensors.line(l.crop(), LINE_HEIGHT, CLASSIFIER_WIDTH)), work)
                    .thenCompose(x -> stages.call(classifier.get(), List.of(x)))
                    .thenApplyAsync(out -> {
                        float[] p = floats(only(classifier.get(), out));
                        if (p.length != 2) {
                            throw new ProtocolException(502, "the classifier answered " + p.length
                                    + " values, expected 2 (0 and 180 degrees)");
                        }
                        return TextRecognition.upsideDown(p[0], p[1]) ? new Line(l.box(), l.crop().rotate180()) : l;
                    }, work));
        }
        return all(each);
    }

    /** Every crop to the recogniser at once; each answer CTC-decoded. */
    private CompletableFuture<List<TextLine>> read(List<Line> lines, StageCaller stages, Executor work) {
        List<CompletableFuture<TextLine>> each = new ArrayList<>();
        for (Line l : lines) {
            each.add(CompletableFuture.supplyAsync(() -> fp32(MODEL_INPUT, new long[] {1, 3, LINE_HEIGHT,
                            RECOGNISER_WIDTH}, ImageTensors.line(l.crop(), LINE_HEIGHT, RECOGNISER_WIDTH)), work)
                    .thenCompose(x -> stages.call(recogniser, List.of(x)))
                    .thenApplyAsync(out -> {
                        Tensor probs = only(recogniser, out);
                        long[] s = probs.shape();
                        if (probs.datatype() != DataType.FP32 || s.length != 3) {
                            throw new ProtocolException(502, "the recogniser answered " + probs
                                    + ", expected FP32 [1, steps, classes]");
                        }
                        CharacterDictionary dict = dictionary.get();
                        if (s[2] != dict.classes()) {
                            throw new ProtocolException(502, "the recogniser has " + s[2] + " classes but the "
                                    + "character dictionary " + dict.classes());
                        }
                        TextRecognition.Decoded d = TextRecognition.ctc(floats(probs), (int) s[1], (int) s[2], dict);
                        return new TextLine(d.text(), l.box(), d.score());
                    }, work));
        }
        return all(each).thenApply(read -> read.stream().filter(t -> t.score() >= DROP_SCORE
                && !t.text().isBlank()).toList());
    }

    /** The answer's tensors: text, boxes, scores. */
    static List<Tensor> answer(List<TextLine> lines) {
        int n = lines.size();
        ByteBuffer boxes = ByteBuffer.allocate(n * 8 * 4).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer scores = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> text = new ArrayList<>();
        for (TextLine l : lines) {
            text.add(l.text().getBytes(StandardCharsets.UTF_8));
            for (TextBox.Point p : l.box().corners()) {
                boxes.putFloat((float) p.x()).putFloat((float) p.y());
            }
            scores.putFloat((float) l.score());
        }
        return List.of(Tensor.bytes("text", new long[] {n}, text),
                new Tensor("boxes", DataType.FP32, new long[] {n, 4, 2}, boxes.flip()),
                new Tensor("scores", DataType.FP32, new long[] {n}, scores.flip()));
    }

    @Override
    public List<TensorInfo> inputs() {
        return List.of(new TensorInfo(IMAGE, DataType.BYTES, new long[] {1}));
    }

    @Override
    public List<TensorInfo> outputs() {
        return List.of(new TensorInfo("text", DataType.BYTES, new long[] {-1}),
                new TensorInfo("boxes", DataType.FP32, new long[] {-1, 4, 2}),
                new TensorInfo("scores", DataType.FP32, new long[] {-1}));
    }

    static Tensor fp32(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new Tensor(name, DataType.FP32, shape, b);
    }

    static float[] floats(Tensor t) {
        float[] out = new float[(int) t.elementCount()];
        t.data().asFloatBuffer().get(out);
        return out;
    }

    private static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> each) {
        return CompletableFuture.allOf(each.toArray(CompletableFuture<?>[]::new))
                .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
    }
}
