"""anigraph: an anime knowledge base that reads the news.

Stages, each its own package, imported one way:
``ingest`` (source → Article) → ``extract`` (Article → facts with evidence) →
``resolve`` (mentions → entities) → ``store`` (the only place that speaks SQL) →
``serve`` (reads the store). ``cli`` chains them.
"""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
