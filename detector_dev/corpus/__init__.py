"""Builders of the training corpora, derived from the data sets in ``../shared/data``."""
