"""The rule engine: site and generic rules read from data, matched over a folded shadow of the text."""
