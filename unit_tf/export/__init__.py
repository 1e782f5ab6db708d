"""Export: SavedModels for TF Serving and TFLite conversion. Never imports training."""

from unit_tf.export.serving import export_saved_model, next_version, read_metadata

__all__ = ["export_saved_model", "next_version", "read_metadata"]
