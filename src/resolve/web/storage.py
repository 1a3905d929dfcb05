"""Static file names in production: content-hashed once collected, the plain names before that."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed, content-hashed files, which browsers may cache for good.

    Before ``resolve collectstatic --noinput`` has run there is no manifest, and Django's storage
    would fail every page that names a static file (a 500 for a stylesheet). Here such a file
    keeps its plain name instead, which WhiteNoise still serves from the apps' static folders
    (``WHITENOISE_USE_FINDERS``), only without the year-long caching.
    """

    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:  # neither in the manifest nor collected yet
            return name
