"""Regenerate demo_data/facades_tiny/ (the paired data the pix2pix/CycleGAN tests train on) from
../shared/datasets/facades.

Takes the first N training and M test A|B images (sorted by name), resizes each 512x256 pair to
(2 * side) x side (so each half is side x side) and writes them as JPEGs in the same A|B layout.

    python tools/make_facades_demo.py --shared ../shared --out demo_data/facades_tiny
"""

import argparse
import os


def convert(src_dir, dst_dir, count, side):
    import tensorflow as tf

    os.makedirs(dst_dir, exist_ok=True)
    names = sorted(os.listdir(src_dir), key=lambda n: (len(n), n))[:count]
    for name in names:
        image = tf.io.decode_jpeg(tf.io.read_file(os.path.join(src_dir, name)), channels=3)
        small = tf.image.resize(tf.cast(image, tf.float32), [side, 2 * side], antialias=True)
        data = tf.io.encode_jpeg(tf.cast(tf.clip_by_value(tf.round(small), 0, 255), tf.uint8),
                                 quality=90)
        with open(os.path.join(dst_dir, name), "wb") as f:
            f.write(data.numpy())
    return len(names)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--out", default="demo_data/facades_tiny")
    parser.add_argument("--train", type=int, default=16)
    parser.add_argument("--test", type=int, default=4)
    parser.add_argument("--side", type=int, default=64)
    args = parser.parse_args()
    root = os.path.join(args.shared, "datasets", "facades")
    for split, count in (("train", args.train), ("test", args.test)):
        n = convert(os.path.join(root, split), os.path.join(args.out, split), count, args.side)
        print(f"{split}: {n} images")


if __name__ == "__main__":
    main()
