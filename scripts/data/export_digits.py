#!/usr/bin/env python3
# Exports scikit-learn's 8 x 8 handwritten digits (1,797 images, UCI's optical recognition set)
# to CSV for examples/gan:
#   apt-get install python3-sklearn   (for the data only; edpp does not depend on Python)
#   python3 scripts/data/export_digits.py out/digits.csv
# Columns p0..p63: pixel intensities scaled from 0..16 to [0, 1], row by row; a last column is
# not written (the GAN needs no labels). Written to a temporary file, then renamed.
import os
import sys

from sklearn.datasets import load_digits

path = sys.argv[1] if len(sys.argv) > 1 else "digits.csv"
images = load_digits().data / 16.0
os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
tmp = path + ".tmp"
with open(tmp, "w") as out:
    out.write(",".join("p%d" % i for i in range(images.shape[1])) + "\n")
    for row in images:
        out.write(",".join("%.6g" % v for v in row) + "\n")
os.replace(tmp, path)
print("wrote %d digits to %s" % (images.shape[0], path))
