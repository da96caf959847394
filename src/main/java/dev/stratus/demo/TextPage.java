package dev.stratus.demo;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A page of text drawn with Java 2D: black sans serif on white, each line at its own size and place, optionally
 * upside down. The demo sends {@link #DEMO} through the OCR pipeline (drawn at start: no image is committed); the
 * OCR tests draw theirs the same way.
 */
public record TextPage(int width, int height, List<Line> lines) {
    /** A line drawn: its text, font size in pixels, where its baseline starts, and whether it is upside down. */
    public record Line(String text, int size, int x, int y, boolean upsideDown) {
    }

    /** The demo's page: four lines, the size of a label or a receipt photographed at low resolution. */
    static final TextPage DEMO = new TextPage(560, 360, List.of(
            new Line("Stratus demo page", 32, 30, 70, false),
            new Line("Order 4711: 3 pallets", 32, 30, 150, false),
            new Line("Deliver to dock 7", 32, 30, 230, false),
            new Line("before 14:30 UTC", 32, 30, 310, false)));
    /** Where the demo writes its page (in its output folder, which the load generator reads inputs from). */
    static final String DEMO_FILE = "ocr-page.png";

    public TextPage {
        lines = List.copyOf(lines);
    }

    public BufferedImage render() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        for (Line l : lines) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, l.size()));
            Graphics2D line = (Graphics2D) g.create();
            if (l.upsideDown()) {
                // Turned 180 degrees about the middle of where it would stand upright.
                int w = line.getFontMetrics().stringWidth(l.text());
                line.rotate(Math.PI, l.x() + w / 2.0, l.y() - l.size() / 3.0);
            }
            line.drawString(l.text(), l.x(), l.y());
            line.dispose();
        }
        g.dispose();
        return img;
    }

    /** The page as PNG bytes. */
    public byte[] png() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(render(), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        return out.toByteArray();
    }
}
