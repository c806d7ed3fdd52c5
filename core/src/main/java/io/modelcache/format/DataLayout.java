package io.modelcache.format;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks that the tensors cover the data section exactly: sorted by offset, each non-empty tensor starts where the
 * previous one ended, the first at the data start, the last at the end of the file. Zero-length tensors cover
 * nothing and may sit at any offset inside the data section (their bounds are checked by {@link HeaderEntries}).
 * One instance per file; not shared.
 */
final class DataLayout {

    private static final Comparator<TensorInfo> BY_OFFSET = Comparator.comparingLong(TensorInfo::beginOffset)
            .thenComparingLong(TensorInfo::endOffset)
            .thenComparing(TensorInfo::name);

    private final String fileName;
    private final long dataStartOffset;
    private final long fileSizeBytes;

    private DataLayout(String fileName, long dataStartOffset, long fileSizeBytes) {
        this.fileName = fileName;
        this.dataStartOffset = dataStartOffset;
        this.fileSizeBytes = fileSizeBytes;
    }

    /** Returns the tensors sorted by begin offset, or refuses a gap, an overlap or uncovered trailing bytes. */
    static List<TensorInfo> sortedCovering(List<TensorInfo> tensors, String fileName, long dataStartOffset,
            long fileSizeBytes) throws InvalidModelException {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(BY_OFFSET);
        new DataLayout(fileName, dataStartOffset, fileSizeBytes).requireExactCover(sorted);
        return sorted;
    }

    private void requireExactCover(List<TensorInfo> sorted) throws InvalidModelException {
        long coveredUpTo = dataStartOffset;
        TensorInfo previous = null;
        for (TensorInfo tensor : sorted) {
            if (tensor.byteLength() == 0) {
                continue;
            }
            if (tensor.beginOffset() < coveredUpTo) {
                throw overlap(tensor, previous);
            }
            if (tensor.beginOffset() > coveredUpTo) {
                throw gap(coveredUpTo, tensor.beginOffset(), previous, tensor);
            }
            coveredUpTo = tensor.endOffset();
            previous = tensor;
        }
        if (coveredUpTo < fileSizeBytes) {
            throw gap(coveredUpTo, fileSizeBytes, previous, null);
        }
    }

    private InvalidModelException overlap(TensorInfo tensor, TensorInfo previous) {
        long overlapBytes = Math.min(previous.endOffset(), tensor.endOffset()) - tensor.beginOffset();
        return InvalidModelException.of("tensor %s in %s: data_offsets %s overlap tensor %s data_offsets %s by %d"
                + " bytes", Text.quoted(tensor.name()), fileName, relative(tensor), Text.quoted(previous.name()),
                relative(previous), overlapBytes);
    }

    private InvalidModelException gap(long gapBegin, long gapEnd, TensorInfo before, TensorInfo after) {
        return InvalidModelException.of("data section of %s (%d bytes) has a gap of %d bytes at data_offsets %s"
                + " not covered by any tensor: %s; the tensors must cover the data section exactly",
                fileName, fileSizeBytes - dataStartOffset, gapEnd - gapBegin,
                Text.offsets(gapBegin - dataStartOffset, gapEnd - dataStartOffset), gapPosition(before, after));
    }

    private String gapPosition(TensorInfo before, TensorInfo after) {
        if (before == null && after == null) {
            return "the file has no non-empty tensor";
        }
        if (before == null) {
            return "the gap lies before the first tensor " + describe(after);
        }
        if (after == null) {
            return "the gap lies after the last tensor " + describe(before);
        }
        return "the gap lies between tensor " + describe(before) + " and tensor " + describe(after);
    }

    private String describe(TensorInfo tensor) {
        return Text.quoted(tensor.name()) + " (data_offsets " + relative(tensor) + ")";
    }

    private String relative(TensorInfo tensor) {
        return Text.offsets(tensor.beginOffset() - dataStartOffset, tensor.endOffset() - dataStartOffset);
    }
}
