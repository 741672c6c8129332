"""Shared test helpers: the repository (repo), chapter prose (prose), the book builds (books, bookbuild),
the built site (site). Tests import from here, never from conftest or from another test module."""
