"""The theme must not undo Jupyter's switch to interactive mode, or later figures in a page vanish."""

import matplotlib as mpl
import matplotlib.pyplot as plt

from reviewfigs.plots.style import theme


def test_interactive_switch_inside_theme_is_kept():
    before = mpl.is_interactive()
    try:
        mpl.interactive(False)
        with theme():
            mpl.interactive(True)  # what the inline backend does when the first figure is created
            plt.figure()
        assert mpl.is_interactive()
    finally:
        mpl.interactive(before)
