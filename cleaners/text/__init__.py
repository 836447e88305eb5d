"""Character-level normalisation of clean text: layout, punctuation width, masks, script."""
