package dev.mixrule.kernel.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads gzip IDX files (the MNIST format): magic 0x0801 labels, 0x0803 images. */
public final class IdxReader {
    private IdxReader() {}

    public static float[] readImages(Path file, int expectedRows, int expectedCols) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x00000803) {
                throw new DatasetException(file + ": not an IDX image file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows != expectedRows || cols != expectedCols) {
                throw new DatasetException(file + ": images are " + rows + "x" + cols + ", expected "
                        + expectedRows + "x" + expectedCols);
            }
            byte[] raw = new byte[n * rows * cols];
            in.readFully(raw);
            float[] out = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                out[i] = (raw[i] & 0xff) / 255f;
            }
            return out;
        } catch (EOFException e) {
            throw new DatasetException(file + ": truncated (ends before its header says); reinstall the dataset", e);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    public static int[] readLabels(Path file, int classes) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x00000801) {
                throw new DatasetException(file + ": not an IDX label file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int n = in.readInt();
            byte[] raw = new byte[n];
            in.readFully(raw);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = raw[i] & 0xff;
                if (out[i] >= classes) {
                    throw new DatasetException(file + ": label " + out[i] + " at index " + i + " is not below " + classes);
                }
            }
            return out;
        } catch (EOFException e) {
            throw new DatasetException(file + ": truncated (ends before its header says); reinstall the dataset", e);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file + ": missing");
        }
        InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new DataInputStream(new BufferedInputStream(in, 1 << 16));
    }
}
