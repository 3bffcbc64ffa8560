#!/usr/bin/env python3
"""Convert NAS-Bench-201's ImageNet16 pickles to the binary files mixrule reads (ImageNet16.java).

Usage:
    python3 tools/imagenet16_to_bin.py PICKLE_DIR OUT_DIR

PICKLE_DIR holds the Downsampled-ImageNet 16x16 pickles that NAS-Bench-201 uses:
train_data_batch_1 .. train_data_batch_10 and val_data. Each is a pickled dict with
'data' (uint8 rows of 768 = R, G, B planes of 16x16) and 'labels' (1-based class ids).

Only classes 1..120 are kept (ImageNet16-120) and relabelled 0..119. OUT_DIR receives:
    train.bin  every kept training image (151,700 for the real pickles)
    valid.bin  the first half of val_data's kept images (3,000)
    test.bin   the second half of val_data's kept images (3,000)
Each record is 1 label byte followed by the 768 pixel bytes, as in the CIFAR binary version.

Note: NAS-Bench-201 picks its 3k/3k valid/test halves with the index lists of
imagenet-16-120-test-split.txt; this tool takes the first and second half of the file order.

Needs Python 3 and numpy (the pickles hold numpy arrays). Progress goes to stderr.
"""
import os
import pickle
import sys

import numpy as np

CLASSES = 120
PIXELS = 3 * 16 * 16
TRAIN_FILES = ["train_data_batch_%d" % i for i in range(1, 11)]
VALID_FILE = "val_data"


def log(message):
    print(message, file=sys.stderr, flush=True)


def load_kept(path):
    """Returns (labels 0..119 as uint8, pixel rows as uint8) of the images of classes 1..120 in path."""
    if not os.path.isfile(path):
        sys.exit("%s: missing; download the ImageNet16 pickles of NAS-Bench-201 into that folder" % path)
    with open(path, "rb") as f:
        # the pickles were written by Python 2: latin1 keeps numpy's byte strings intact
        entry = pickle.load(f, encoding="latin1")
    data = np.asarray(entry["data"])
    labels = np.asarray(entry["labels"]).astype(np.int64).reshape(-1)
    if data.ndim != 2 or data.shape[1] != PIXELS:
        sys.exit("%s: data has shape %s, expected rows of %d values (3x16x16)" % (path, data.shape, PIXELS))
    if data.shape[0] != labels.shape[0]:
        sys.exit("%s: %d images but %d labels" % (path, data.shape[0], labels.shape[0]))
    if data.dtype != np.uint8:
        if data.size and (data.min() < 0 or data.max() > 255):
            sys.exit("%s: pixel values outside 0..255 (dtype %s)" % (path, data.dtype))
        data = data.astype(np.uint8)
    keep = (labels >= 1) & (labels <= CLASSES)
    log("%s: %d images, %d of classes 1..%d kept" % (path, data.shape[0], int(keep.sum()), CLASSES))
    return (labels[keep] - 1).astype(np.uint8), data[keep]


def write_records(path, labels, data):
    records = np.empty((labels.shape[0], 1 + PIXELS), dtype=np.uint8)
    records[:, 0] = labels
    records[:, 1:] = data
    with open(path, "wb") as f:
        f.write(records.tobytes())
    log("%s: %d records" % (path, labels.shape[0]))


def main(argv):
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        sys.exit(__doc__)
    pickle_dir, out_dir = argv[1], argv[2]
    os.makedirs(out_dir, exist_ok=True)

    train_labels, train_data = [], []
    for name in TRAIN_FILES:
        labels, data = load_kept(os.path.join(pickle_dir, name))
        train_labels.append(labels)
        train_data.append(data)
    write_records(os.path.join(out_dir, "train.bin"), np.concatenate(train_labels), np.concatenate(train_data))

    labels, data = load_kept(os.path.join(pickle_dir, VALID_FILE))
    half = labels.shape[0] // 2
    write_records(os.path.join(out_dir, "valid.bin"), labels[:half], data[:half])
    write_records(os.path.join(out_dir, "test.bin"), labels[half:], data[half:])
    log("done: %s" % out_dir)


if __name__ == "__main__":
    main(sys.argv)
