"""Where things are: the checkout root and its build folders."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.realpath(__file__)))))


def root_path(*parts):
    """A path under the checkout root."""
    return os.path.join(ROOT, *parts)
