"""Evaluation of trained translators (metrics that need a model, not a training step)."""

from unit_tf.evaluation.classifier import (classifier_accuracy, load_labelled_npz,
                                           predicted_classes, prediction_balance,
                                           translation_accuracy)
from unit_tf.evaluation.distribution import frechet_distance, kernel_distance
from unit_tf.evaluation.diversity import (evaluate_diversity, mean_pairwise_l1, pixel_spread,
                                          translation_spread)
from unit_tf.evaluation.paired import (evaluate_paired, feature_distance, in_batches,
                                       paired_metrics, pixel_accuracy, pixel_l1, psnr,
                                       sharpness_ratio, ssim)
from unit_tf.evaluation.runs import evaluate_run

__all__ = ["classifier_accuracy", "predicted_classes", "prediction_balance",
           "evaluate_diversity", "evaluate_paired", "evaluate_run",
           "feature_distance", "frechet_distance", "in_batches", "kernel_distance",
           "load_labelled_npz", "mean_pairwise_l1", "paired_metrics", "pixel_accuracy",
           "pixel_l1", "pixel_spread", "psnr", "sharpness_ratio", "ssim", "translation_accuracy",
           "translation_spread"]
