"""Export: SavedModels for TF Serving and TFLite conversion. Never imports training."""

from unit_tf.export.serving import (export_saved_model, next_version, read_metadata,
                                    resolve_saved_model)

__all__ = ["export_saved_model", "next_version", "read_metadata", "resolve_saved_model"]
