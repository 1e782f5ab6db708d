"""`unit-tf export`'s export kind from its flags' values (no flags defined here, so tests
import it beside the other commands' flag modules)."""


def convolutions_kind(convolutions, convolutions_given, winograd):
    """The export kind of --convolutions (`convolutions_given`: set on the command line) and the
    older --winograd, which means winograd_xla and refuses any other kind given beside it."""
    if not winograd:
        return convolutions
    if convolutions_given and convolutions != "winograd_xla":
        raise SystemExit(f"unit-tf export: error: --winograd means "
                         f"--convolutions=winograd_xla, not {convolutions}; give one")
    return "winograd_xla"
