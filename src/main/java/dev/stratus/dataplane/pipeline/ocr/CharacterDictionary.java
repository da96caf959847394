package dev.stratus.dataplane.pipeline.ocr;

import java.util.ArrayList;
import java.util.List;

/**
 * The recogniser's classes: class 0 is the CTC blank, classes 1..n the dictionary's lines in order (PaddleOCR's
 * {@code ppocr_keys_v1.txt}, one character per line), and class n + 1 a space (PaddleOCR's
 * {@code use_space_char}).
 */
public final class CharacterDictionary {
    public static final int BLANK = 0;

    private final List<String> characters;

    private CharacterDictionary(List<String> characters) {
        this.characters = List.copyOf(characters);
    }

    /** From the dictionary file's text: one character per line ({@code \n} or {@code \r\n}). */
    public static CharacterDictionary parse(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // a final newline ends the last line, it starts none
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("the character dictionary is empty");
        }
        List<String> classes = new ArrayList<>();
        classes.add("");
        classes.addAll(lines);
        classes.add(" ");
        return new CharacterDictionary(classes);
    }

    /** Classes including the blank and the space. */
    public int classes() {
        return characters.size();
    }

    public String character(int index) {
        return characters.get(index);
    }
}
