"""Regenerate demo_data/mnist2usps/ (the data set bundled for `make demo`) from ../shared.

Writes the first N MNIST training digits to trainA, the first N USPS training digits to trainB,
and the first M test digits of each to testA/testB, as greyscale PNGs at their native sizes
(28x28 and 16x16): the training pipeline itself converts them to RGB and resizes them.

    python tools/make_digits_demo.py --shared ../shared --out demo_data/mnist2usps
"""

import argparse
import gzip
import os

import numpy as np


def usps(path):
    with gzip.open(path, "rt") as f:
        rows = [line.split() for line in f if line.strip()]
    values = np.array([[float(v) for v in r[1:]] for r in rows], np.float32).reshape(-1, 16, 16)
    return np.clip(np.round((values + 1.0) * 127.5), 0, 255).astype(np.uint8)  # -1 = background


def write(images, folder):
    import tensorflow as tf

    os.makedirs(folder, exist_ok=True)
    for i, image in enumerate(images):
        png = tf.io.encode_png(image[..., None]).numpy()
        with open(os.path.join(folder, f"{i:05d}.png"), "wb") as f:
            f.write(png)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--out", default="demo_data/mnist2usps")
    parser.add_argument("--train", type=int, default=1000)
    parser.add_argument("--test", type=int, default=50)
    args = parser.parse_args()
    digits = os.path.join(args.shared, "datasets", "digits")
    mnist = np.load(os.path.join(digits, "mnist", "mnist.npz"))
    write(mnist["x_train"][:args.train], os.path.join(args.out, "trainA"))
    write(mnist["x_test"][:args.test], os.path.join(args.out, "testA"))
    write(usps(os.path.join(digits, "usps", "zip.train.gz"))[:args.train],
          os.path.join(args.out, "trainB"))
    write(usps(os.path.join(digits, "usps", "zip.test.gz"))[:args.test],
          os.path.join(args.out, "testB"))


if __name__ == "__main__":
    main()
