package dev.stratus.dataplane.pipeline.ocr;

import java.util.ArrayList;
import java.util.List;

/**
 * The recogniser's and the classifier's outputs read: greedy CTC decoding of the per-step character
 * probabilities (the most likely class at each step, repeats merged, blanks dropped), and the text direction.
 */
public final class TextRecognition {
    /** PaddleOCR turns a crop when the classifier says 180 degrees with more than this probability. */
    public static final double ROTATE_THRESHOLD = 0.9;

    private TextRecognition() {
    }

    /** A decoded line: its text and the mean probability of the characters kept (0 for an empty line). */
    public record Decoded(String text, double score) {
    }

    /**
     * @param probs   {@code steps} x {@code classes} probabilities (row-major), class 0 the CTC blank
     * @param classes number of classes, the dictionary's size
     */
    public static Decoded ctc(float[] probs, int steps, int classes, CharacterDictionary dictionary) {
        if (probs.length != steps * classes) {
            throw new IllegalArgumentException(steps + " steps of " + classes + " classes need " + steps * classes
                    + " values, got " + probs.length);
        }
        if (classes != dictionary.classes()) {
            throw new IllegalArgumentException("the recogniser has " + classes + " classes but the dictionary "
                    + dictionary.classes());
        }
        StringBuilder text = new StringBuilder();
        List<Double> kept = new ArrayList<>();
        int previous = -1;
        for (int t = 0; t < steps; t++) {
            int best = 0;
            float bestP = probs[t * classes];
            for (int k = 1; k < classes; k++) {
                float p = probs[t * classes + k];
                if (p > bestP) {
                    bestP = p;
                    best = k;
                }
            }
            if (best != CharacterDictionary.BLANK && best != previous) {
                text.append(dictionary.character(best));
                kept.add((double) bestP);
            }
            previous = best;
        }
        double score = kept.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return new Decoded(text.toString(), score);
    }

    /** Whether the classifier's two probabilities (0 degrees, 180 degrees) say the line is upside down. */
    public static boolean upsideDown(float upright, float turned) {
        return turned > upright && turned > ROTATE_THRESHOLD;
    }
}
