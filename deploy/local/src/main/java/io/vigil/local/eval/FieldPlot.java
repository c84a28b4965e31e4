package io.vigil.local.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The field benchmark's plot: detection recall against face height (log axis), one curve per stack,
 * all degradations pooled (solid) and clean frames only (dashed).
 */
final class FieldPlot {
    private static final int W = 1000;
    private static final int H = 560;
    private static final List<Color> COLOURS =
            List.of(
                    new Color(0xC62828),
                    new Color(0x1565C0),
                    new Color(0x2E7D32),
                    new Color(0x6A1B9A),
                    new Color(0xEF6C00));

    private FieldPlot() {}

    static void write(
            Map<String, Map<String, FieldEvaluation.Result>> results,
            int[] heights,
            String frame,
            Path png)
            throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        int x0 = 80;
        int y0 = 60;
        int w = 620;
        int h = 420;
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString("Face detection recall vs face height, " + frame + " frames", 20, 28);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            double lo = Math.log(heights[0]);
            double hi = Math.log(heights[heights.length - 1]);
            double span = Math.max(1e-9, hi - lo);
            g.drawRect(x0, y0, w, h);
            for (int i = 0; i <= 10; i += 2) {
                int y = y0 + h - h * i / 10;
                g.setColor(new Color(0xDDDDDD));
                g.drawLine(x0, y, x0 + w, y);
                g.setColor(Color.BLACK);
                g.drawString(String.format("%.1f", i / 10.0), x0 - 30, y + 4);
            }
            for (int ht : heights) {
                int x = x0 + (int) ((Math.log(ht) - lo) / span * w);
                g.setColor(new Color(0xDDDDDD));
                g.drawLine(x, y0, x, y0 + h);
                g.setColor(Color.BLACK);
                g.drawString(Integer.toString(ht), x - 8, y0 + h + 16);
            }
            g.drawString("face height (px, log scale)", x0 + w / 2 - 70, y0 + h + 36);
            g.drawString("recall", 20, y0 + h / 2);
            int legend = y0;
            int k = 0;
            for (Map.Entry<String, Map<String, FieldEvaluation.Result>> e : results.entrySet()) {
                Color c = COLOURS.get(k++ % COLOURS.size());
                FieldEvaluation.Result all = FieldEvaluation.pooled(e.getValue());
                curve(g, all, heights, c, false, x0, y0, w, h, lo, span);
                FieldEvaluation.Result clean = e.getValue().get("clean");
                if (clean != null) {
                    curve(g, clean, heights, c, true, x0, y0, w, h, lo, span);
                }
                g.setColor(c);
                g.setStroke(new BasicStroke(2.5f));
                g.drawLine(x0 + w + 20, legend + 6, x0 + w + 50, legend + 6);
                g.setColor(Color.BLACK);
                g.drawString(e.getKey(), x0 + w + 58, legend + 10);
                legend += 22;
            }
            g.setColor(Color.BLACK);
            g.drawString("solid: all degradations", x0 + w + 20, legend + 16);
            g.drawString("dashed: clean frames", x0 + w + 20, legend + 34);
        } finally {
            g.dispose();
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(img, "png", png.toFile());
    }

    private static void curve(
            Graphics2D g,
            FieldEvaluation.Result r,
            int[] heights,
            Color c,
            boolean dashed,
            int x0,
            int y0,
            int w,
            int h,
            double lo,
            double span) {
        g.setColor(c);
        g.setStroke(
                dashed
                        ? new BasicStroke(
                                1.5f,
                                BasicStroke.CAP_BUTT,
                                BasicStroke.JOIN_ROUND,
                                1f,
                                new float[] {6f, 4f},
                                0f)
                        : new BasicStroke(2.5f));
        int px = -1;
        int py = -1;
        for (int ht : heights) {
            double v = r.bucket(ht).recall();
            if (Double.isNaN(v)) {
                continue;
            }
            int x = x0 + (int) ((Math.log(ht) - lo) / span * w);
            int y = y0 + h - (int) (v * h);
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            g.fillOval(x - 3, y - 3, 6, 6);
            px = x;
            py = y;
        }
    }
}
