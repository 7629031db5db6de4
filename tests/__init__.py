"""The test suite of needlematch (a package, so tests can share helpers from conftest)."""
