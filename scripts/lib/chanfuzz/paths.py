"""Where things are: the checkout root and its build folders."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.realpath(__file__)))))


def root_path(*parts):
    """A path under the checkout root."""
    return os.path.join(ROOT, *parts)


def shown(path):
    """A path as messages print it: relative to the checkout root when it
    is inside it, else as it is."""
    if path.startswith(ROOT + os.sep):
        return path[len(ROOT) + 1:]
    return path
