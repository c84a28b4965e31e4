package io.vigil.local.eval;

import io.vigil.watchlist.calibration.ScoreSet;
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
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The evaluation plot: genuine and impostor score histograms (each normalised to its own count)
 * with the threshold, and the DET curve (FNMR against FMR on a log axis) with the operating point.
 */
public final class EvalPlot {
    private static final int W = 1200;
    private static final int H = 500;
    private static final Color GENUINE = new Color(0x2E7D32);
    private static final Color IMPOSTOR = new Color(0xC62828);

    private EvalPlot() {}

    public static void write(ScoreSet scores, double threshold, String title, Path png)
            throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, 20, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            histogram(g, scores, threshold, 60, 60, 500, 380);
            det(g, scores, threshold, 680, 60, 480, 380);
        } finally {
            g.dispose();
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(img, "png", png.toFile());
    }

    private static void histogram(
            Graphics2D g, ScoreSet s, double threshold, int x0, int y0, int w, int h) {
        double lo = -0.3;
        double hi = 1.0;
        int bins = 52;
        double[] gen = bin(s.genuine(), lo, hi, bins);
        double[] imp = bin(s.impostor(), lo, hi, bins);
        double max = 1e-9;
        for (int i = 0; i < bins; i++) {
            max = Math.max(max, Math.max(gen[i], imp[i]));
        }
        axes(g, x0, y0, w, h);
        double bw = (double) w / bins;
        for (int i = 0; i < bins; i++) {
            int bx = x0 + (int) (i * bw);
            bar(g, IMPOSTOR, bx, y0 + h, (int) Math.max(1, bw - 1), (int) (imp[i] / max * h));
            bar(g, GENUINE, bx, y0 + h, (int) Math.max(1, bw - 1), (int) (gen[i] / max * h));
        }
        int tx = x0 + (int) ((threshold - lo) / (hi - lo) * w);
        g.setColor(Color.BLACK);
        g.setStroke(
                new BasicStroke(
                        1.5f,
                        BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER,
                        10,
                        new float[] {6, 4},
                        0));
        g.drawLine(tx, y0, tx, y0 + h);
        g.setStroke(new BasicStroke(1));
        g.drawString(String.format(Locale.ROOT, "threshold %.3f", threshold), tx + 4, y0 + 14);
        for (double v = -0.2; v <= 1.0001; v += 0.2) {
            int x = x0 + (int) ((v - lo) / (hi - lo) * w);
            g.drawString(String.format(Locale.ROOT, "%.1f", v), x - 8, y0 + h + 16);
        }
        g.drawString("cosine similarity (share of pairs per bin)", x0 + w / 2 - 110, y0 + h + 34);
        legend(g, x0 + 10, y0 + 10, s);
    }

    private static void det(
            Graphics2D g, ScoreSet s, double threshold, int x0, int y0, int w, int h) {
        axes(g, x0, y0, w, h);
        double minLog = -4;
        List<double[]> points = s.detCurve();
        g.setColor(Color.BLUE);
        g.setStroke(new BasicStroke(2));
        int px = -1;
        int py = -1;
        for (double[] p : points) {
            int x = x0 + (int) ((logOr(p[1], minLog) - minLog) / -minLog * w);
            int y = y0 + h - (int) (p[2] * h);
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            px = x;
            py = y;
        }
        g.setStroke(new BasicStroke(1));
        int tx = x0 + (int) ((logOr(s.fmr(threshold), minLog) - minLog) / -minLog * w);
        int ty = y0 + h - (int) (s.fnmr(threshold) * h);
        g.setColor(Color.BLACK);
        g.fillOval(tx - 5, ty - 5, 10, 10);
        g.drawString(
                String.format(
                        Locale.ROOT,
                        "threshold %.3f: FMR %.2g, FNMR %.3f",
                        threshold,
                        s.fmr(threshold),
                        s.fnmr(threshold)),
                Math.min(tx + 8, x0 + w - 230),
                Math.max(ty - 8, y0 + 14));
        for (int e = -4; e <= 0; e++) {
            int x = x0 + (int) ((e - minLog) / -minLog * w);
            g.drawString("1e" + e, x - 10, y0 + h + 16);
        }
        for (int i = 0; i <= 4; i++) {
            g.drawString(
                    String.format(Locale.ROOT, "%.2f", i / 4.0), x0 - 32, y0 + h - i * h / 4 + 4);
        }
        g.drawString(
                "DET: FNMR (y) vs FMR (x, log; 0 drawn at 1e-4)", x0 + w / 2 - 140, y0 + h + 34);
    }

    private static double logOr(double v, double min) {
        return v <= 0 ? min : Math.max(min, Math.log10(v));
    }

    private static double[] bin(double[] values, double lo, double hi, int bins) {
        double[] out = new double[bins];
        for (double v : values) {
            int i = (int) ((v - lo) / (hi - lo) * bins);
            out[Math.max(0, Math.min(bins - 1, i))]++;
        }
        for (int i = 0; i < bins; i++) {
            out[i] = values.length == 0 ? 0 : out[i] / values.length;
        }
        return out;
    }

    private static void bar(Graphics2D g, Color c, int x, int base, int w, int h) {
        g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 140));
        g.fillRect(x, base - h, w, h);
    }

    private static void axes(Graphics2D g, int x0, int y0, int w, int h) {
        g.setColor(Color.LIGHT_GRAY);
        g.drawRect(x0, y0, w, h);
    }

    private static void legend(Graphics2D g, int x, int y, ScoreSet s) {
        bar(g, GENUINE, x, y + 12, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString("genuine pairs (" + s.genuinePairs() + ")", x + 18, y + 11);
        bar(g, IMPOSTOR, x, y + 30, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString("impostor pairs (" + s.impostorPairs() + ")", x + 18, y + 29);
    }
}
