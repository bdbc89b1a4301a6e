"""Registers anigraph's tokenizer (``anigraph.en_tokenizer.v1``) for ``spacy train --code``."""

import anigraph.extract.resources  # noqa: F401  (registers the tokenizer factory on import)
