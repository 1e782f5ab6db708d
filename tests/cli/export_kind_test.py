"""`unit-tf export`'s choice of export kind from --convolutions and the older --winograd."""

import pytest

from unit_tf.cli.export_kind import convolutions_kind


@pytest.mark.parametrize("convolutions,given,winograd,kind", [
    ("winograd", False, False, "winograd"),  # the default
    ("direct", True, False, "direct"),
    ("winograd_xla", True, False, "winograd_xla"),
    ("winograd", False, True, "winograd_xla"),  # --winograd alone: its old meaning
    ("winograd_xla", True, True, "winograd_xla"),  # both, agreeing
])
def test_the_export_kind_follows_convolutions_and_the_winograd_alias(convolutions, given,
                                                                     winograd, kind):
    assert convolutions_kind(convolutions, given, winograd) == kind


@pytest.mark.parametrize("convolutions", ["direct", "winograd"])
def test_winograd_beside_another_kind_is_refused_naming_both(convolutions):
    with pytest.raises(SystemExit, match=f"--winograd means --convolutions=winograd_xla, "
                                         f"not {convolutions}; give one"):
        convolutions_kind(convolutions, True, True)
